//! The model as the user specifies it: constructs (blocks of indicators, Mode A
//! or B) and the structural paths between them.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, suggest};

/// How a construct's outer weights are estimated (Wold 1982; Lohmöller 1989).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mode {
    /// Mode A ("reflective", correlation weights): w ∝ cov(X, z).
    A,
    /// Mode B ("formative"/composite, regression weights): w ∝ S⁻¹ cov(X, z).
    B,
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Mode::A => "A",
            Mode::B => "B",
        })
    }
}

/// One construct (latent variable) and its block of indicators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstructSpec {
    /// The construct's name.
    pub name: String,
    /// Mode A or B.
    pub mode: Mode,
    /// The names of its indicators (data columns), in order.
    pub indicators: Vec<String>,
}

/// A higher-order construct: a construct measured by lower-order constructs
/// (Wold 1982; Lohmöller 1989; Becker, Klein & Wetzels 2012; Sarstedt et al. 2019).
///
/// In the model it appears as a construct whose block repeats the indicators
/// of all its lower-order constructs (the repeated-indicators approach), with
/// paths HOC → LOC for a Mode A ("reflective") HOC and LOC → HOC for a Mode B
/// ("formative") HOC. The two-stage approaches are chosen at estimation time
/// ([`crate::pls::HocApproach`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HigherOrderSpec {
    /// The higher-order construct's name.
    pub name: String,
    /// Mode of the higher-order construct's weights.
    pub mode: Mode,
    /// Its lower-order constructs (first-order constructs of the model), in order.
    pub components: Vec<String>,
}

/// A two-way interaction (moderation) term `A:B` used as a predictor
/// (Henseler & Chin 2010). In the model it is a Mode A construct named as
/// written (`A:B`) whose indicators are the products `a_i:b_j` of the
/// standardized indicators of A and B (the product-indicator approach); the
/// other approaches replace those columns at estimation time
/// ([`crate::pls::InteractionApproach`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractionSpec {
    /// The term as written, `A:B`; also the name of its construct.
    pub term: String,
    /// The first construct (the focal predictor in simple-slope tables).
    pub a: String,
    /// The second construct (the moderator in simple-slope tables).
    pub b: String,
}

/// A structurally valid PLS path model: unique constructs with non-empty,
/// disjoint blocks, and an acyclic set of paths touching every construct.
///
/// Build it with [`Model::builder`] or parse it with [`Model::from_syntax`].
/// Checking the indicator names against data happens when fitting.
///
/// ```
/// use csikit::{Model, Mode};
/// let model = Model::builder()
///     .reflective("Image", ["imag1", "imag2", "imag3"])
///     .composite("Value", ["val1", "val2"])
///     .path("Image", "Value")
///     .build()
///     .unwrap();
/// assert_eq!(model.constructs()[1].mode, Mode::B);
/// assert_eq!(model.predecessors(1), &[0]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Model {
    constructs: Vec<ConstructSpec>,
    /// Paths as (from, to) construct indices, in the order given.
    paths: Vec<(usize, usize)>,
    /// For each construct, the indices of its predecessors (ascending).
    #[serde(skip)]
    predecessors: Vec<Vec<usize>>,
    /// For each construct, the indices of its successors (ascending).
    #[serde(skip)]
    successors: Vec<Vec<usize>>,
    /// A topological order of the constructs.
    #[serde(skip)]
    order: Vec<usize>,
    /// Higher-order constructs (their constructs are in `constructs` too).
    higher_order: Vec<HigherOrderSpec>,
    /// Interaction terms (their constructs are in `constructs` too).
    interactions: Vec<InteractionSpec>,
}

/// Collects constructs and paths; [`ModelBuilder::build`] validates them.
#[derive(Debug, Clone, Default)]
pub struct ModelBuilder {
    constructs: Vec<ConstructSpec>,
    higher_order: Vec<HigherOrderSpec>,
    paths: Vec<(String, String)>,
}

impl ModelBuilder {
    /// Adds a construct with the given mode.
    pub fn construct<I, S>(mut self, name: impl Into<String>, mode: Mode, indicators: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.constructs.push(ConstructSpec {
            name: name.into(),
            mode,
            indicators: indicators.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Adds a reflective (Mode A) construct.
    pub fn reflective<I, S>(self, name: impl Into<String>, indicators: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.construct(name, Mode::A, indicators)
    }

    /// Adds a composite (Mode B) construct.
    pub fn composite<I, S>(self, name: impl Into<String>, indicators: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.construct(name, Mode::B, indicators)
    }

    /// Adds a higher-order construct measured by the lower-order constructs
    /// `components` (constructs added with [`ModelBuilder::construct`] and its
    /// shorthands). Mode A: a "reflective" HOC (paths HOC → LOC); Mode B: a
    /// "formative" HOC (paths LOC → HOC). See [`HigherOrderSpec`].
    ///
    /// ```
    /// use csikit::{Model, Mode};
    /// let model = Model::builder()
    ///     .reflective("A", ["a1", "a2"])
    ///     .reflective("B", ["b1", "b2"])
    ///     .reflective("Y", ["y1", "y2"])
    ///     .higher_order("H", Mode::B, ["A", "B"])
    ///     .path("H", "Y")
    ///     .build()
    ///     .unwrap();
    /// let h = model.construct_index("H").unwrap();
    /// assert_eq!(model.constructs()[h].indicators, ["a1", "a2", "b1", "b2"]);
    /// assert_eq!(model.predecessors(h).len(), 2);
    /// ```
    pub fn higher_order<I, S>(mut self, name: impl Into<String>, mode: Mode, components: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.higher_order.push(HigherOrderSpec {
            name: name.into(),
            mode,
            components: components.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Adds a path `from → to`. A `from` of the form `A:B` is an interaction
    /// term of constructs A and B ([`InteractionSpec`]).
    pub fn path(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.paths.push((from.into(), to.into()));
        self
    }

    /// Adds paths from `from` to each of `to`.
    pub fn paths<I, S>(mut self, from: &str, to: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for t in to {
            self.paths.push((from.to_string(), t.into()));
        }
        self
    }

    /// Validates and returns the model.
    ///
    /// # Errors
    /// [`Error::DuplicateConstruct`], [`Error::EmptyBlock`],
    /// [`Error::DuplicateIndicator`], [`Error::IndicatorInTwoBlocks`],
    /// [`Error::UnknownConstruct`], [`Error::SelfLoop`], [`Error::DuplicatePath`],
    /// [`Error::Cycle`], [`Error::IsolatedConstruct`], [`Error::NoStructuralModel`].
    ///
    /// Higher-order constructs and interaction terms add
    /// [`Error::HigherOrderComponents`], [`Error::HigherOrderSelf`],
    /// [`Error::NestedHigherOrder`], [`Error::ComponentInTwoHigherOrder`] and
    /// [`Error::InvalidInteraction`].
    pub fn build(self) -> Result<Model> {
        Model::with_extensions(self.constructs, self.higher_order, self.paths)
    }
}

impl Model {
    /// Starts a model.
    pub fn builder() -> ModelBuilder {
        ModelBuilder::default()
    }

    /// Validates constructs and named paths.
    ///
    /// # Errors
    /// See [`ModelBuilder::build`].
    pub fn new(constructs: Vec<ConstructSpec>, paths: Vec<(String, String)>) -> Result<Model> {
        Model::with_extensions(constructs, Vec::new(), paths)
    }

    /// Validates first-order constructs, higher-order constructs and named
    /// paths (whose predictors may be interaction terms `A:B`).
    ///
    /// Decisions: only second-order constructs (a lower-order construct may
    /// not itself be higher-order, which also rules out cycles through them);
    /// a lower-order construct forms at most one higher-order construct (its
    /// indicators would otherwise be repeated in three blocks); an interaction
    /// term needs both main effects on the same dependent (Henseler & Chin
    /// 2010: without them the product term's coefficient is not a moderation
    /// effect), is two-way, and is never a dependent.
    ///
    /// # Errors
    /// See [`ModelBuilder::build`].
    pub fn with_extensions(
        first_order: Vec<ConstructSpec>,
        higher_order: Vec<HigherOrderSpec>,
        paths: Vec<(String, String)>,
    ) -> Result<Model> {
        let mut constructs = first_order;
        let n_first = constructs.len();
        let first_names: Vec<String> = constructs.iter().map(|c| c.name.clone()).collect();
        let mut auto_paths: Vec<(String, String)> = Vec::new();
        for (h, hoc) in higher_order.iter().enumerate() {
            if higher_order[..h].iter().any(|o| o.name == hoc.name)
                || first_names.contains(&hoc.name)
            {
                return Err(Error::DuplicateConstruct {
                    name: hoc.name.clone(),
                });
            }
            if hoc.components.contains(&hoc.name) {
                return Err(Error::HigherOrderSelf {
                    construct: hoc.name.clone(),
                });
            }
            if let Some(c) = hoc
                .components
                .iter()
                .find(|c| higher_order.iter().any(|o| &o.name == *c))
            {
                return Err(Error::NestedHigherOrder {
                    construct: hoc.name.clone(),
                    component: c.clone(),
                });
            }
            if hoc.components.len() < 2 {
                return Err(Error::HigherOrderComponents {
                    construct: hoc.name.clone(),
                    count: hoc.components.len(),
                });
            }
            let mut indicators = Vec::new();
            for (i, comp) in hoc.components.iter().enumerate() {
                if hoc.components[..i].contains(comp) {
                    return Err(Error::DuplicateIndicator {
                        indicator: comp.clone(),
                        construct: hoc.name.clone(),
                    });
                }
                let Some(c) = constructs[..n_first].iter().find(|c| &c.name == comp) else {
                    return Err(Error::UnknownConstruct {
                        name: comp.clone(),
                        suggestions: suggest(comp, first_names.iter().map(String::as_str)),
                    });
                };
                if let Some(other) = higher_order[..h]
                    .iter()
                    .find(|o| o.components.contains(comp))
                {
                    return Err(Error::ComponentInTwoHigherOrder {
                        component: comp.clone(),
                        first: other.name.clone(),
                        second: hoc.name.clone(),
                    });
                }
                indicators.extend(c.indicators.iter().cloned());
                auto_paths.push(match hoc.mode {
                    Mode::A => (hoc.name.clone(), comp.clone()),
                    Mode::B => (comp.clone(), hoc.name.clone()),
                });
            }
            constructs.push(ConstructSpec {
                name: hoc.name.clone(),
                mode: hoc.mode,
                indicators,
            });
        }
        // Interaction terms among the predictors.
        let mut interactions: Vec<InteractionSpec> = Vec::new();
        for (from, to) in &paths {
            if to.contains(':') {
                return Err(Error::InvalidInteraction {
                    term: to.clone(),
                    message: "an interaction term can only be a predictor (right of `~`)".into(),
                });
            }
            if !from.contains(':') || interactions.iter().any(|t| &t.term == from) {
                continue;
            }
            let parts: Vec<&str> = from.split(':').collect();
            if parts.len() != 2 || parts.iter().any(|p| p.is_empty()) {
                return Err(Error::InvalidInteraction {
                    term: from.clone(),
                    message: "only two-way interactions `A:B` of two constructs are supported"
                        .into(),
                });
            }
            if parts[0] == parts[1] {
                return Err(Error::InvalidInteraction {
                    term: from.clone(),
                    message: format!(
                        "interaction of `{}` with itself; a quadratic effect is not a moderation",
                        parts[0]
                    ),
                });
            }
            let mut blocks = Vec::new();
            for part in &parts {
                let Some(c) = constructs.iter().find(|c| c.name == *part) else {
                    return Err(Error::UnknownConstruct {
                        name: (*part).to_string(),
                        suggestions: suggest(part, constructs.iter().map(|c| c.name.as_str())),
                    });
                };
                blocks.push(c.indicators.clone());
            }
            let mut indicators = Vec::with_capacity(blocks[0].len() * blocks[1].len());
            for a in &blocks[0] {
                for b in &blocks[1] {
                    indicators.push(format!("{a}:{b}"));
                }
            }
            constructs.push(ConstructSpec {
                name: from.clone(),
                mode: Mode::A,
                indicators,
            });
            interactions.push(InteractionSpec {
                term: from.clone(),
                a: parts[0].to_string(),
                b: parts[1].to_string(),
            });
        }
        for (from, to) in &paths {
            if let Some(t) = interactions.iter().find(|t| &t.term == from) {
                for main in [&t.a, &t.b] {
                    if !paths.iter().any(|(f, tt)| f == main && tt == to) {
                        return Err(Error::InvalidInteraction {
                            term: from.clone(),
                            message: format!(
                                "its main effect `{main}` -> `{to}` is missing; add `{to} ~ {main}`"
                            ),
                        });
                    }
                }
            }
        }
        let mut all_paths = paths;
        all_paths.extend(auto_paths);
        Model::validate(constructs, all_paths, higher_order, interactions)
    }

    fn validate(
        constructs: Vec<ConstructSpec>,
        paths: Vec<(String, String)>,
        higher_order: Vec<HigherOrderSpec>,
        interactions: Vec<InteractionSpec>,
    ) -> Result<Model> {
        // Constructs: unique names, non-empty and disjoint blocks (higher-order
        // blocks repeat their components' indicators by construction).
        let mut owner: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
        for (j, c) in constructs.iter().enumerate() {
            let repeated = higher_order.iter().any(|h| h.name == c.name);
            if constructs[..j].iter().any(|o| o.name == c.name) {
                return Err(Error::DuplicateConstruct {
                    name: c.name.clone(),
                });
            }
            if c.indicators.is_empty() {
                return Err(Error::EmptyBlock {
                    construct: c.name.clone(),
                });
            }
            for (i, ind) in c.indicators.iter().enumerate() {
                if c.indicators[..i].contains(ind) {
                    return Err(Error::DuplicateIndicator {
                        indicator: ind.clone(),
                        construct: c.name.clone(),
                    });
                }
                if repeated {
                    continue;
                }
                if let Some(first) = owner.insert(ind.as_str(), c.name.as_str()) {
                    return Err(Error::IndicatorInTwoBlocks {
                        indicator: ind.clone(),
                        first: first.to_string(),
                        second: c.name.clone(),
                    });
                }
            }
        }
        let k = constructs.len();
        let find = |name: &str| -> Result<usize> {
            constructs
                .iter()
                .position(|c| c.name == name)
                .ok_or_else(|| Error::UnknownConstruct {
                    name: name.to_string(),
                    suggestions: suggest(name, constructs.iter().map(|c| c.name.as_str())),
                })
        };
        let mut idx_paths = Vec::with_capacity(paths.len());
        for (from, to) in &paths {
            let (f, t) = (find(from)?, find(to)?);
            if f == t {
                return Err(Error::SelfLoop {
                    construct: from.clone(),
                });
            }
            if idx_paths.contains(&(f, t)) {
                return Err(Error::DuplicatePath {
                    from: from.clone(),
                    to: to.clone(),
                });
            }
            idx_paths.push((f, t));
        }
        if k < 2 || idx_paths.is_empty() {
            return Err(Error::NoStructuralModel);
        }
        let mut predecessors = vec![Vec::new(); k];
        let mut successors = vec![Vec::new(); k];
        for &(f, t) in &idx_paths {
            predecessors[t].push(f);
            successors[f].push(t);
        }
        for v in predecessors.iter_mut().chain(successors.iter_mut()) {
            v.sort_unstable();
        }
        if let Some(j) = (0..k).find(|&j| predecessors[j].is_empty() && successors[j].is_empty()) {
            return Err(Error::IsolatedConstruct {
                construct: constructs[j].name.clone(),
            });
        }
        let order = topological_order(&successors).map_err(|cycle| Error::Cycle {
            cycle: cycle.iter().map(|&j| constructs[j].name.clone()).collect(),
        })?;
        Ok(Model {
            constructs,
            paths: idx_paths,
            predecessors,
            successors,
            order,
            higher_order,
            interactions,
        })
    }

    /// The higher-order constructs.
    pub fn higher_order(&self) -> &[HigherOrderSpec] {
        &self.higher_order
    }

    /// The interaction terms.
    pub fn interactions(&self) -> &[InteractionSpec] {
        &self.interactions
    }

    /// The higher-order construct that construct `j` is a component of, if any.
    pub fn higher_order_of(&self, j: usize) -> Option<&HigherOrderSpec> {
        let name = &self.constructs[j].name;
        self.higher_order
            .iter()
            .find(|h| h.components.contains(name))
    }

    /// Whether construct `j` is an interaction term.
    pub fn is_interaction(&self, j: usize) -> bool {
        let name = &self.constructs[j].name;
        self.interactions.iter().any(|t| &t.term == name)
    }

    /// Whether construct `j` is a higher-order construct.
    pub fn is_higher_order(&self, j: usize) -> bool {
        let name = &self.constructs[j].name;
        self.higher_order.iter().any(|h| &h.name == name)
    }

    /// Whether path (from, to) is one the model added between a higher-order
    /// construct and one of its components.
    pub fn is_hoc_path(&self, from: usize, to: usize) -> bool {
        let (f, t) = (&self.constructs[from].name, &self.constructs[to].name);
        self.higher_order.iter().any(|h| {
            (&h.name == f && h.components.contains(t)) || (&h.name == t && h.components.contains(f))
        })
    }

    /// A copy with the indicators of construct `name` replaced (the
    /// estimation approaches of the extensions measure a construct by derived
    /// columns). The structure is unchanged, so it stays valid.
    pub(crate) fn with_block(&self, name: &str, indicators: Vec<String>) -> Model {
        let mut m = self.clone();
        if let Some(c) = m.constructs.iter_mut().find(|c| c.name == name) {
            c.indicators = indicators;
        }
        m
    }

    /// The constructs in the order they were given.
    pub fn constructs(&self) -> &[ConstructSpec] {
        &self.constructs
    }

    /// The paths as (from, to) construct indices.
    pub fn paths(&self) -> &[(usize, usize)] {
        &self.paths
    }

    /// Index of a construct by name.
    pub fn construct_index(&self, name: &str) -> Option<usize> {
        self.constructs.iter().position(|c| c.name == name)
    }

    /// Indices of the constructs with a path into construct `j`.
    pub fn predecessors(&self, j: usize) -> &[usize] {
        &self.predecessors[j]
    }

    /// Indices of the constructs that construct `j` has a path into.
    pub fn successors(&self, j: usize) -> &[usize] {
        &self.successors[j]
    }

    /// A topological order (every construct after its predecessors).
    pub fn topological_order(&self) -> &[usize] {
        &self.order
    }

    /// Whether construct `j` has predecessors.
    pub fn is_endogenous(&self, j: usize) -> bool {
        !self.predecessors[j].is_empty()
    }

    /// All indicator names, block by block.
    pub fn indicators(&self) -> impl Iterator<Item = &str> {
        self.constructs
            .iter()
            .flat_map(|c| c.indicators.iter().map(String::as_str))
    }

    /// The model in the lavaan-style syntax read by [`Model::from_syntax`].
    pub fn to_syntax(&self) -> String {
        let mut out = String::new();
        for (j, c) in self.constructs.iter().enumerate() {
            if self.is_interaction(j) {
                continue;
            }
            let op = match c.mode {
                Mode::A => "=~",
                Mode::B => "<~",
            };
            let rhs = match self.higher_order.iter().find(|h| h.name == c.name) {
                Some(h) => h.components.join(" + "),
                None => c.indicators.join(" + "),
            };
            out.push_str(&format!("{} {op} {rhs}\n", c.name));
        }
        for (j, c) in self.constructs.iter().enumerate() {
            let preds: Vec<&str> = self.predecessors[j]
                .iter()
                .filter(|&&p| !self.is_hoc_path(p, j))
                .map(|&p| self.constructs[p].name.as_str())
                .collect();
            if !preds.is_empty() {
                out.push_str(&format!("{} ~ {}\n", c.name, preds.join(" + ")));
            }
        }
        out
    }
}

/// Kahn's algorithm; on a cycle, returns the cycle (first node repeated at the end).
fn topological_order(successors: &[Vec<usize>]) -> std::result::Result<Vec<usize>, Vec<usize>> {
    let k = successors.len();
    let mut indegree = vec![0usize; k];
    for s in successors {
        for &t in s {
            indegree[t] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..k).rev().filter(|&j| indegree[j] == 0).collect();
    let mut order = Vec::with_capacity(k);
    while let Some(j) = ready.pop() {
        order.push(j);
        for &t in successors[j].iter().rev() {
            indegree[t] -= 1;
            if indegree[t] == 0 {
                ready.push(t);
            }
        }
    }
    if order.len() == k {
        return Ok(order);
    }
    // Find a cycle among the remaining nodes by walking successors until a repeat.
    let start = (0..k).find(|&j| indegree[j] > 0).unwrap_or(0);
    let mut walk = vec![start];
    let mut cur = start;
    loop {
        let next = successors[cur]
            .iter()
            .copied()
            .find(|&t| indegree[t] > 0)
            .unwrap_or(start);
        if let Some(pos) = walk.iter().position(|&w| w == next) {
            let mut cycle = walk[pos..].to_vec();
            cycle.push(next);
            return Err(cycle);
        }
        walk.push(next);
        cur = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two() -> ModelBuilder {
        Model::builder()
            .reflective("X", ["x1", "x2"])
            .reflective("Y", ["y1", "y2"])
    }

    #[test]
    fn topological_order_puts_predecessors_first() {
        let m = Model::builder()
            .reflective("C", ["c1"])
            .reflective("B", ["b1"])
            .reflective("A", ["a1"])
            .path("A", "B")
            .path("B", "C")
            .path("A", "C")
            .build()
            .unwrap();
        assert_eq!(m.topological_order(), &[2, 1, 0]);
        assert_eq!(m.predecessors(0), &[1, 2]);
    }

    #[test]
    fn cycle_is_named() {
        let err = two()
            .reflective("Z", ["z1"])
            .path("X", "Y")
            .path("Y", "Z")
            .path("Z", "X")
            .build()
            .unwrap_err();
        match err {
            Error::Cycle { cycle } => {
                assert_eq!(cycle.len(), 4);
                assert_eq!(cycle.first(), cycle.last());
                for c in ["X", "Y", "Z"] {
                    assert!(cycle.iter().any(|s| s == c));
                }
            }
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn structural_errors() {
        assert!(matches!(
            two().path("X", "X").build(),
            Err(Error::SelfLoop { .. })
        ));
        assert!(matches!(
            two().path("X", "Y").path("X", "Y").build(),
            Err(Error::DuplicatePath { .. })
        ));
        assert!(matches!(two().build(), Err(Error::NoStructuralModel)));
        let e = two().path("X", "Yy").build().unwrap_err();
        assert!(e.to_string().contains("did you mean `Y`"), "{e}");
    }
}
