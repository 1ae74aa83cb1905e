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
}

/// Collects constructs and paths; [`ModelBuilder::build`] validates them.
#[derive(Debug, Clone, Default)]
pub struct ModelBuilder {
    constructs: Vec<ConstructSpec>,
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

    /// Adds a path `from → to`.
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
    pub fn build(self) -> Result<Model> {
        Model::new(self.constructs, self.paths)
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
        // Constructs: unique names, non-empty and disjoint blocks.
        let mut owner: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
        for (j, c) in constructs.iter().enumerate() {
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
        })
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
        for c in &self.constructs {
            let op = match c.mode {
                Mode::A => "=~",
                Mode::B => "<~",
            };
            out.push_str(&format!("{} {op} {}\n", c.name, c.indicators.join(" + ")));
        }
        for (j, c) in self.constructs.iter().enumerate() {
            if !self.predecessors[j].is_empty() {
                let preds: Vec<&str> = self.predecessors[j]
                    .iter()
                    .map(|&p| self.constructs[p].name.as_str())
                    .collect();
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
