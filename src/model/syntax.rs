//! The lavaan-style model syntax (Rosseel 2012), as cSEM and seminr read it:
//!
//! ```text
//! # comments start with '#'
//! Image        =~ imag1 + imag2 + imag3     # reflective: Mode A
//! Value        <~ val1 + val2               # composite: Mode B
//! Satisfaction ~ Image + Value              # structural paths
//! SQ           =~ TANG + REL + RESP        # higher-order: measured by constructs
//! SAT          ~ QUAL + PRICE + QUAL:PRICE # interaction term (moderation)
//! ```
//!
//! A right-hand name of `=~`/`<~` that is itself measured by a statement is a
//! construct (lavaan's convention): a statement whose right-hand names are all
//! constructs defines a second-order construct ([`crate::model::HigherOrderSpec`];
//! `=~` Mode A, `<~` Mode B); mixing constructs and indicators is an error.
//! `A:B` on the right of `~` is the interaction of constructs A and B
//! ([`crate::model::InteractionSpec`]).
//!
//! A statement may continue on the next line after a trailing `+`, and `;`
//! separates statements on one line. Several `~` lines for the same dependent
//! construct add up. Identifiers are letters, digits, `_` and `.`, not starting
//! with a digit.

use super::spec::{ConstructSpec, HigherOrderSpec, Mode, Model};
use crate::error::{Error, Result};

/// A statement's operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Measured(Mode),
    Regression,
}

/// A piece of text with its 1-based line and column.
#[derive(Debug, Clone)]
struct Span<'a> {
    text: &'a str,
    line: usize,
    col: usize,
}

impl Model {
    /// Parses the lavaan-style syntax described in the [module docs](crate::model::syntax).
    ///
    /// ```
    /// let model = csikit::Model::from_syntax("
    ///     IMAG =~ imag1 + imag2   # image
    ///     SAT  =~ sat1 +
    ///             sat2
    ///     SAT  ~ IMAG
    /// ").unwrap();
    /// assert_eq!(model.constructs()[1].indicators, ["sat1", "sat2"]);
    /// ```
    ///
    /// # Errors
    /// [`Error::Syntax`] with line and column for text that is not a statement,
    /// then every structural error of [`Model::new`].
    pub fn from_syntax(text: &str) -> Result<Model> {
        let statements = split_statements(text);
        let parsed: Vec<(String, Op, Vec<String>)> = statements
            .iter()
            .map(|stmt| parse_statement(stmt))
            .collect::<Result<_>>()?;
        // Names measured by a statement are constructs (lavaan's convention).
        let measured: Vec<&str> = parsed
            .iter()
            .filter(|(_, op, _)| matches!(op, Op::Measured(_)))
            .map(|(lhs, _, _)| lhs.as_str())
            .collect();
        let mut constructs: Vec<ConstructSpec> = Vec::new();
        let mut higher: Vec<HigherOrderSpec> = Vec::new();
        let mut paths: Vec<(String, String)> = Vec::new();
        for (lhs, op, rhs) in parsed.iter().cloned() {
            match op {
                Op::Measured(mode) => {
                    if constructs.iter().any(|c| c.name == lhs)
                        || higher.iter().any(|h| h.name == lhs)
                    {
                        return Err(Error::DuplicateConstruct { name: lhs });
                    }
                    let (cons, inds): (Vec<String>, Vec<String>) = rhs
                        .iter()
                        .cloned()
                        .partition(|r| measured.contains(&r.as_str()));
                    if cons.is_empty() {
                        constructs.push(ConstructSpec {
                            name: lhs,
                            mode,
                            indicators: rhs,
                        });
                    } else if inds.is_empty() {
                        higher.push(HigherOrderSpec {
                            name: lhs,
                            mode,
                            components: rhs,
                        });
                    } else {
                        return Err(Error::MixedHigherOrderBlock {
                            construct: lhs,
                            constructs: cons,
                            indicators: inds,
                        });
                    }
                }
                Op::Regression => {
                    for r in rhs {
                        paths.push((r, lhs.clone()));
                    }
                }
            }
        }
        Model::with_extensions(constructs, higher, paths)
    }
}

/// Strips comments, joins continuation lines, splits on `;`. Keeps positions.
fn split_statements(text: &str) -> Vec<Vec<Span<'_>>> {
    let mut out: Vec<Vec<Span<'_>>> = Vec::new();
    let mut current: Vec<Span<'_>> = Vec::new();
    for (li, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("");
        let mut offset = 0;
        for (pi, part) in line.split(';').enumerate() {
            if pi > 0 {
                // A ';' ends the statement.
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            let trimmed = part.trim();
            if !trimmed.is_empty() {
                let lead = part.len() - part.trim_start().len();
                let col = line[..offset + lead].chars().count() + 1;
                let continues = current
                    .last()
                    .is_some_and(|s| s.text.ends_with('+') || s.text.ends_with('~'))
                    || trimmed.starts_with('+');
                if !continues && !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                current.push(Span {
                    text: trimmed,
                    line: li + 1,
                    col,
                });
            }
            offset += part.len() + 1;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn syntax(line: usize, col: usize, message: impl Into<String>) -> Error {
    Error::Syntax {
        line,
        column: col,
        message: message.into(),
    }
}

/// Parses `lhs OP term + term + …` spread over one or more spans.
fn parse_statement(spans: &[Span<'_>]) -> Result<(String, Op, Vec<String>)> {
    let first = &spans[0];
    // Find the operator in the first span that has one.
    let mut found = None;
    for (si, s) in spans.iter().enumerate() {
        for (op_text, op) in [("=~", Op::Measured(Mode::A)), ("<~", Op::Measured(Mode::B))] {
            if let Some(pos) = s.text.find(op_text) {
                found = Some((si, pos, op_text.len(), op));
                break;
            }
        }
        if found.is_none()
            && let Some(pos) = s.text.find('~')
        {
            found = Some((si, pos, 1, Op::Regression));
        }
        if found.is_some() {
            break;
        }
    }
    let Some((si, pos, op_len, op)) = found else {
        return Err(syntax(
            first.line,
            first.col,
            format!(
                "`{}` is not a statement: expected `NAME =~ indicators`, `NAME <~ indicators` or `NAME ~ predictors`",
                first.text
            ),
        ));
    };
    if si != 0 {
        return Err(syntax(
            first.line,
            first.col,
            "the operator must follow the construct name on the same line",
        ));
    }
    let lhs_text = first.text[..pos].trim();
    if lhs_text.is_empty() {
        return Err(syntax(
            first.line,
            first.col,
            "missing construct name before the operator",
        ));
    }
    check_identifier(lhs_text, first.line, first.col)?;

    // Collect right-hand-side pieces with their positions.
    let mut pieces: Vec<(&str, usize, usize)> = Vec::new();
    let after = &first.text[pos + op_len..];
    let after_col = first.col + first.text[..pos + op_len].chars().count();
    pieces.push((after, first.line, after_col));
    for s in &spans[1..] {
        pieces.push((s.text, s.line, s.col));
    }
    let mut terms = Vec::new();
    let mut expect_term = true;
    let mut last_pos = (first.line, first.col);
    for (text, line, col0) in pieces {
        let mut col = col0;
        for (ti, term) in text.split('+').enumerate() {
            if ti > 0 {
                if expect_term {
                    return Err(syntax(line, col, "expected a name before `+`"));
                }
                expect_term = true;
                col += 1;
            }
            let lead = term.len() - term.trim_start().len();
            let t = term.trim();
            let tcol = col + term[..lead].chars().count();
            if !t.is_empty() {
                if !expect_term {
                    return Err(syntax(line, tcol, format!("expected `+` before `{t}`")));
                }
                if t.contains('*') {
                    return Err(syntax(
                        line,
                        tcol,
                        format!("`{t}`: fixed coefficients and labels (`*`) are not supported"),
                    ));
                }
                if t.contains(':') && op != Op::Regression {
                    return Err(syntax(
                        line,
                        tcol,
                        format!("`{t}`: interaction terms `A:B` belong on the right of `~`"),
                    ));
                }
                if let Some(ws) = t.find(char::is_whitespace) {
                    let rest = t[ws..].trim_start();
                    let at = tcol + t[..t.len() - rest.len()].chars().count();
                    return Err(syntax(line, at, format!("expected `+` before `{rest}`")));
                }
                if t.contains('~') || t.contains('=') || t.contains('<') {
                    return Err(syntax(
                        line,
                        tcol,
                        format!("`{t}`: only one operator per statement"),
                    ));
                }
                let mut part_col = tcol;
                for part in t.split(':') {
                    if part.is_empty() {
                        return Err(syntax(
                            line,
                            part_col,
                            format!("`{t}`: an interaction is written `A:B`"),
                        ));
                    }
                    check_identifier(part, line, part_col)?;
                    part_col += part.chars().count() + 1;
                }
                terms.push(t.to_string());
                expect_term = false;
            }
            col += term.chars().count();
            last_pos = (line, col);
        }
    }
    if terms.is_empty() {
        return Err(syntax(
            last_pos.0,
            last_pos.1,
            format!("`{lhs_text}` has nothing on the right-hand side"),
        ));
    }
    if expect_term {
        return Err(syntax(
            last_pos.0,
            last_pos.1,
            "the statement ends with `+`",
        ));
    }
    Ok((lhs_text.to_string(), op, terms))
}

/// Letters, digits, `_`, `.`; not starting with a digit; no spaces.
fn check_identifier(name: &str, line: usize, col: usize) -> Result<()> {
    let mut chars = name.chars();
    let ok_first = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '.');
    let bad = name
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '.'));
    if let Some((i, c)) = bad {
        let at = col + name[..i].chars().count();
        return Err(syntax(
            line,
            at,
            format!("unexpected `{c}` in name `{name}`"),
        ));
    }
    if !ok_first {
        return Err(syntax(
            line,
            col,
            format!("`{name}` is not a name (names start with a letter, `_` or `.`)"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err_pos(text: &str) -> (usize, usize, String) {
        match Model::from_syntax(text) {
            Err(Error::Syntax {
                line,
                column,
                message,
            }) => (line, column, message),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn parses_modes_paths_comments_and_continuations() {
        let m = Model::from_syntax(
            "# ECSI\nA =~ a1 + a2 ; B <~ b1 +\n   b2 + b3\nC =~ c1\nC ~ A\nC ~ B # second line adds\n",
        )
        .unwrap();
        let c = m.constructs();
        assert_eq!(c.len(), 3);
        assert_eq!(c[1].mode, Mode::B);
        assert_eq!(c[1].indicators, ["b1", "b2", "b3"]);
        assert_eq!(m.predecessors(2), &[0, 1]);
        // Round trip.
        assert_eq!(Model::from_syntax(&m.to_syntax()).unwrap(), m);
    }

    #[test]
    fn syntax_errors_have_positions() {
        assert_eq!(err_pos("A =~ a1 + a2\nB =~ b1 b2\nB ~ A").0, 2);
        let (l, c, _) = err_pos("A =~ a1 + a2\nB =~ b1 b2\nB ~ A");
        assert_eq!((l, c), (2, 9));
        let (l, c, m) = err_pos("A =~ a1 ++ a2");
        assert_eq!((l, c), (1, 10));
        assert!(m.contains('+'));
        let (l, c, _) = err_pos("\n  A =~ a1 + 2x");
        assert_eq!((l, c), (2, 13));
        let (l, _, m) = err_pos("A =~ a1\nB =~ b1\nB ~ 0.5*A");
        assert_eq!(l, 3);
        assert!(m.contains("not supported"));
        let (l, c, _) = err_pos("A =~ a1\njunk here");
        assert_eq!((l, c), (2, 1));
        let (_, _, m) = err_pos("A =~ a1 +");
        assert!(m.contains("ends with"));
        let (_, _, m) = err_pos(" =~ a1");
        assert!(m.contains("missing construct name"));
    }

    #[test]
    fn duplicate_measurement_is_reported() {
        assert!(matches!(
            Model::from_syntax("A =~ a1\nA =~ a2\nB =~ b\nB ~ A"),
            Err(Error::DuplicateConstruct { .. })
        ));
    }
}
