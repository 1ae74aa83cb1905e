//! Typed CSI models: the [`Construct`] vocabulary, the ACSI / ECSI / CCSI
//! templates ([`Template`]) and the validated [`CsiModel`] that maps survey
//! columns to constructs.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::error::{Error, Result};
use crate::model::{ConstructSpec, Mode, Model};

/// A latent variable of a customer-satisfaction index model.
///
/// The named variants are the constructs of ACSI (Fornell et al. 1996), ECSI
/// (ECSI Technical Committee 1998) and CCSI (GB/T 19038-2009);
/// [`Construct::Custom`] keeps any other construct possible.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Construct {
    /// Corporate image (ECSI).
    Image,
    /// Customer expectation (ACSI, ECSI).
    Expectation,
    /// Perceived quality.
    PerceivedQuality,
    /// Perceived value (quality relative to price).
    PerceivedValue,
    /// Customer satisfaction: the index proper.
    Satisfaction,
    /// Customer complaints (ACSI, ECSI).
    Complaints,
    /// Customer loyalty.
    Loyalty,
    /// Brand image (CCSI).
    BrandImage,
    /// Expected quality (CCSI).
    ExpectedQuality,
    /// Any other construct, by its name in the PLS model.
    Custom(String),
}

impl Construct {
    /// The construct's name in the PLS model (and in every result table):
    /// `Image`, `Expectation`, `Quality`, `Value`, `Satisfaction`,
    /// `Complaints`, `Loyalty`, `BrandImage`, `ExpectedQuality`, or the custom name.
    pub fn name(&self) -> &str {
        match self {
            Construct::Image => "Image",
            Construct::Expectation => "Expectation",
            Construct::PerceivedQuality => "Quality",
            Construct::PerceivedValue => "Value",
            Construct::Satisfaction => "Satisfaction",
            Construct::Complaints => "Complaints",
            Construct::Loyalty => "Loyalty",
            Construct::BrandImage => "BrandImage",
            Construct::ExpectedQuality => "ExpectedQuality",
            Construct::Custom(name) => name,
        }
    }

    /// A label for reports ("Perceived quality").
    pub fn label(&self) -> String {
        match self {
            Construct::PerceivedQuality => "Perceived quality".into(),
            Construct::PerceivedValue => "Perceived value".into(),
            Construct::BrandImage => "Brand image".into(),
            Construct::ExpectedQuality => "Expected quality".into(),
            other => other.name().to_string(),
        }
    }

    /// The construct whose model name is `name` (a named variant when it
    /// matches one, [`Construct::Custom`] otherwise).
    pub fn from_name(name: &str) -> Construct {
        const NAMED: [Construct; 9] = [
            Construct::Image,
            Construct::Expectation,
            Construct::PerceivedQuality,
            Construct::PerceivedValue,
            Construct::Satisfaction,
            Construct::Complaints,
            Construct::Loyalty,
            Construct::BrandImage,
            Construct::ExpectedQuality,
        ];
        NAMED
            .into_iter()
            .find(|c| c.name() == name)
            .unwrap_or_else(|| Construct::Custom(name.to_string()))
    }
}

impl fmt::Display for Construct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Construct {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl From<&str> for Construct {
    fn from(name: &str) -> Self {
        Construct::from_name(name)
    }
}

/// The structural part of a CSI model: constructs and paths. The paths are
/// plain data (`pub`): edit them freely before mapping indicators.
///
/// ```
/// use csikit::csi::{Construct, Template};
/// let mut ccsi = Template::ccsi();
/// assert_eq!(ccsi.paths.len(), 11);
/// ccsi.add_path(Construct::PerceivedValue, Construct::Loyalty);
/// assert_eq!(ccsi.paths.len(), 12);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    /// The template's name ("ACSI", "ECSI", "CCSI", or a custom name).
    pub name: String,
    /// Constructs in causal order.
    pub constructs: Vec<Construct>,
    /// Structural paths (from, to).
    pub paths: Vec<(Construct, Construct)>,
}

impl Template {
    /// The American Customer Satisfaction Index model (Fornell et al. 1996,
    /// J. Marketing 60(4):7–18): Expectation → Quality, Value, Satisfaction;
    /// Quality → Value, Satisfaction; Value → Satisfaction; Satisfaction →
    /// Complaints, Loyalty; Complaints → Loyalty (9 paths).
    pub fn acsi() -> Template {
        use Construct::*;
        Template {
            name: "ACSI".into(),
            constructs: vec![
                Expectation,
                PerceivedQuality,
                PerceivedValue,
                Satisfaction,
                Complaints,
                Loyalty,
            ],
            paths: vec![
                (Expectation, PerceivedQuality),
                (Expectation, PerceivedValue),
                (Expectation, Satisfaction),
                (PerceivedQuality, PerceivedValue),
                (PerceivedQuality, Satisfaction),
                (PerceivedValue, Satisfaction),
                (Satisfaction, Complaints),
                (Satisfaction, Loyalty),
                (Complaints, Loyalty),
            ],
        }
    }

    /// The European Customer Satisfaction Index model (ECSI Technical
    /// Committee 1998): ACSI plus Image → Expectation, Satisfaction, Loyalty (12 paths).
    pub fn ecsi() -> Template {
        use Construct::*;
        let mut t = Template::acsi();
        t.name = "ECSI".into();
        t.constructs.insert(0, Image);
        t.paths.splice(
            0..0,
            [
                (Image, Expectation),
                (Image, Satisfaction),
                (Image, Loyalty),
            ],
        );
        t
    }

    /// The China Customer Satisfaction Index model (GB/T 19038-2009): brand
    /// image, expected quality, perceived quality, perceived value,
    /// satisfaction, loyalty (no complaints). Public sources do not settle the
    /// exact arrow list; this template ships 11 paths — Brand image → Expected
    /// quality, Perceived quality, Satisfaction, Loyalty; Expected quality →
    /// Perceived quality, Value, Satisfaction; Perceived quality → Value,
    /// Satisfaction; Value → Satisfaction; Satisfaction → Loyalty — and is
    /// meant to be edited ([`Template::add_path`], [`Template::remove_path`]).
    pub fn ccsi() -> Template {
        use Construct::*;
        Template {
            name: "CCSI".into(),
            constructs: vec![
                BrandImage,
                ExpectedQuality,
                PerceivedQuality,
                PerceivedValue,
                Satisfaction,
                Loyalty,
            ],
            paths: vec![
                (BrandImage, ExpectedQuality),
                (BrandImage, PerceivedQuality),
                (BrandImage, Satisfaction),
                (BrandImage, Loyalty),
                (ExpectedQuality, PerceivedQuality),
                (ExpectedQuality, PerceivedValue),
                (ExpectedQuality, Satisfaction),
                (PerceivedQuality, PerceivedValue),
                (PerceivedQuality, Satisfaction),
                (PerceivedValue, Satisfaction),
                (Satisfaction, Loyalty),
            ],
        }
    }

    /// An empty custom template.
    pub fn custom(name: impl Into<String>) -> Template {
        Template {
            name: name.into(),
            constructs: Vec::new(),
            paths: Vec::new(),
        }
    }

    /// Adds a path (and its constructs, if new). A path already present is not duplicated.
    pub fn add_path(&mut self, from: impl Into<Construct>, to: impl Into<Construct>) -> &mut Self {
        let (from, to) = (from.into(), to.into());
        for c in [&from, &to] {
            if !self.constructs.contains(c) {
                self.constructs.push(c.clone());
            }
        }
        if !self.paths.iter().any(|(a, b)| *a == from && *b == to) {
            self.paths.push((from, to));
        }
        self
    }

    /// Removes a path if present.
    pub fn remove_path(&mut self, from: &Construct, to: &Construct) -> &mut Self {
        self.paths.retain(|(a, b)| !(a == from && b == to));
        self
    }

    /// Removes a construct and every path touching it (e.g. ACSI without complaints).
    pub fn remove_construct(&mut self, c: &Construct) -> &mut Self {
        self.constructs.retain(|x| x != c);
        self.paths.retain(|(a, b)| a != c && b != c);
        self
    }

    /// Starts mapping survey columns to this template's constructs.
    pub fn measure(self) -> CsiModelBuilder {
        CsiModelBuilder {
            template: self,
            blocks: Vec::new(),
        }
    }
}

/// Maps survey columns to the constructs of a [`Template`]; [`CsiModelBuilder::build`] validates.
#[derive(Debug, Clone)]
pub struct CsiModelBuilder {
    template: Template,
    blocks: Vec<(Construct, Mode, Vec<String>)>,
}

impl CsiModelBuilder {
    /// Reflective (Mode A) indicators of a construct. A construct not in the
    /// template is added as a custom construct (give it paths with
    /// [`CsiModelBuilder::path`]).
    pub fn reflective<I, S>(self, construct: impl Into<Construct>, indicators: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.block(construct, Mode::A, indicators)
    }

    /// Composite (Mode B) indicators of a construct.
    pub fn composite<I, S>(self, construct: impl Into<Construct>, indicators: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.block(construct, Mode::B, indicators)
    }

    /// Indicators of a construct with an explicit mode (a second call for the
    /// same construct replaces the first).
    pub fn block<I, S>(mut self, construct: impl Into<Construct>, mode: Mode, indicators: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let c = construct.into();
        let inds: Vec<String> = indicators.into_iter().map(Into::into).collect();
        self.blocks.retain(|(x, _, _)| *x != c);
        if !self.template.constructs.contains(&c) {
            self.template.constructs.push(c.clone());
        }
        self.blocks.push((c, mode, inds));
        self
    }

    /// Adds a structural path to the template.
    pub fn path(mut self, from: impl Into<Construct>, to: impl Into<Construct>) -> Self {
        self.template.add_path(from, to);
        self
    }

    /// Validates the mapping and builds the PLS model (constructs in template order).
    ///
    /// # Errors
    /// [`Error::UnmappedConstruct`] when a template construct has no
    /// indicators, and the model errors of [`crate::ModelBuilder::build`]
    /// (duplicate indicators, cycles, isolated constructs, …).
    pub fn build(self) -> Result<CsiModel> {
        let mut specs = Vec::with_capacity(self.template.constructs.len());
        for c in &self.template.constructs {
            let Some((_, mode, inds)) = self.blocks.iter().find(|(x, _, _)| x == c) else {
                return Err(Error::UnmappedConstruct {
                    construct: c.name().to_string(),
                    template: self.template.name.clone(),
                });
            };
            specs.push(ConstructSpec {
                name: c.name().to_string(),
                mode: *mode,
                indicators: inds.clone(),
            });
        }
        let paths = self
            .template
            .paths
            .iter()
            .map(|(a, b)| (a.name().to_string(), b.name().to_string()))
            .collect();
        let model = Model::new(specs, paths)?;
        Ok(CsiModel {
            template: self.template,
            model,
        })
    }
}

/// A validated CSI model: a template whose constructs all have indicators,
/// and the PLS [`Model`] built from it.
///
/// ```
/// use csikit::csi::{Construct, Template};
/// let m = Template::acsi()
///     .measure()
///     .reflective(Construct::Expectation, ["e1", "e2"])
///     .reflective(Construct::PerceivedQuality, ["q1", "q2"])
///     .reflective(Construct::PerceivedValue, ["v1", "v2"])
///     .reflective(Construct::Satisfaction, ["s1", "s2", "s3"])
///     .reflective(Construct::Complaints, ["c1"])
///     .reflective(Construct::Loyalty, ["l1", "l2"])
///     .build()
///     .unwrap();
/// assert_eq!(m.model().paths().len(), 9);
/// assert_eq!(m.construct("Quality"), Some(Construct::PerceivedQuality));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CsiModel {
    template: Template,
    model: Model,
}

impl CsiModel {
    /// Wraps a PLS model written by hand (or in lavaan syntax): each construct
    /// name becomes a typed [`Construct`] (named variants where the names
    /// match, custom otherwise).
    pub fn from_model(model: Model, name: impl Into<String>) -> CsiModel {
        let constructs: Vec<Construct> = model
            .constructs()
            .iter()
            .map(|c| Construct::from_name(&c.name))
            .collect();
        let paths = model
            .paths()
            .iter()
            .map(|&(a, b)| (constructs[a].clone(), constructs[b].clone()))
            .collect();
        CsiModel {
            template: Template {
                name: name.into(),
                constructs,
                paths,
            },
            model,
        }
    }

    /// The PLS model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The template (structure) of the model.
    pub fn template(&self) -> &Template {
        &self.template
    }

    /// Constructs in model order.
    pub fn constructs(&self) -> &[Construct] {
        &self.template.constructs
    }

    /// The typed construct with model name `name`, if present.
    pub fn construct(&self, name: &str) -> Option<Construct> {
        self.template
            .constructs
            .iter()
            .find(|c| c.name() == name)
            .cloned()
    }

    /// Position of a construct in the model, if present.
    pub fn position(&self, c: &Construct) -> Option<usize> {
        self.model.construct_index(c.name())
    }
}
