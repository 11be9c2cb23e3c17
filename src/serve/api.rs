//! The server's contract as data: its routes, and the query parameters of a submission,
//! derived from `anpham build`'s own clap definition. The router (`routes.rs`) is built
//! from [`ROUTES`] and the OpenAPI description (`openapi.rs`) is written from both, so the
//! command line, the router and the description cannot disagree.

use axum::http::StatusCode;
use clap::ArgAction;

use super::problem::Problem;
use crate::batch::BatchOptions;

/// Every route: method and path (axum's `{param}` syntax, as in OpenAPI).
pub(crate) const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/openapi.json"),
    ("POST", "/v1/editions"),
    ("GET", "/v1/jobs/{id}"),
    ("GET", "/v1/jobs/{id}/files/{name}"),
    ("GET", "/opds/catalog.json"),
    ("GET", "/opds/catalog.xml"),
    ("GET", "/opds/search.xml"),
    ("GET", "/library/{id}/cover"),
    ("GET", "/library/{id}/files/{name}"),
    // The web page (docs/serve.md, "The web page").
    ("GET", "/"),
    ("POST", "/upload"),
    ("GET", "/jobs/{id}"),
    ("GET", "/jobs/{id}/files/{name}"),
    ("GET", "/library/{id}/preview"),
];

/// The media type of the web page's answers.
pub(crate) const PAGE_MEDIA_TYPE: &str = "text/html; charset=utf-8";

/// The word of the `preview` parameter: the server's own, taken out before the command
/// line's parser reads the others; a job with it also writes each PDF's first page as an
/// SVG image (`SLUG.large.preview.svg`).
pub(crate) const PREVIEW_WORD: &str = "--preview";

/// The server's own query parameter (not an option of `anpham build`), its help text.
const PREVIEW_HELP: &str = "Also write the first page of each PDF as an SVG image \
(SLUG.SCALE.preview.svg; the web page's preview).";

/// The options of `anpham build` a submission may not set, and why. Besides these, no
/// option that takes a path is taken (clap's value hint of a `PathBuf`: a file or folder on
/// the server, such as a pronunciation table or a folder of tables).
pub(crate) const NOT_TAKEN: &[(&str, &str)] = &[
    ("out-dir", "the server chooses where results go"),
    (
        "font",
        "it names a font file or an installed family on the server",
    ),
    ("jobs", "the server's own --jobs bounds the builds"),
    (
        "fail-fast",
        "a job builds every article it can and lists the others as failed",
    ),
    ("quiet", "it only quiets a terminal"),
];

/// How `anpham build`'s options, given as its command line's words (`--format=…`), become
/// batch options: the command line's own parser, handed in by `cli.rs` with its clap
/// definition when it starts the server (the server does not import the command line that
/// starts it: no circle).
pub(crate) type OptionsParser = fn(&[String]) -> Result<BatchOptions, String>;

/// How a query parameter becomes the command line's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Param {
    /// `--name=value` (the command line splits a list itself).
    Value,
    /// `--name=a --name=b` for `a,b` (the command line repeats this option).
    Repeated,
    /// `--name` when `true` (or empty), nothing when `false`.
    Flag,
}

/// A query parameter of `POST /v1/editions`: an option of `anpham build`, by its long name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryParam {
    /// The option's long name (`page-size`).
    pub name: String,
    /// How its value becomes words.
    pub kind: Param,
    /// Whether it takes a comma-separated list (`scale=large,-1`).
    pub list: bool,
    /// The option's help (its long help where it has one), as plain text.
    pub help: String,
    /// The values the command line lists for it, if it lists them.
    pub values: Vec<String>,
}

/// The query parameters of a submission and the parser of their words: what the server
/// knows of `anpham build`'s options.
#[derive(Debug, Clone)]
pub(crate) struct BuildQuery {
    params: Vec<QueryParam>,
    parse: OptionsParser,
}

impl BuildQuery {
    /// The query parameters of `build` (the command line's `anpham build`): every option
    /// with a long name, except those in [`NOT_TAKEN`], those that take a path, and clap's
    /// own (`--help`); the server's own `preview` after them; and the parser of their
    /// words.
    pub fn new(build: &clap::Command, parse: OptionsParser) -> BuildQuery {
        let mut build = build.clone();
        build.build();
        let mut params: Vec<QueryParam> = build
            .get_arguments()
            .filter(|a| taken(a).is_ok())
            .filter_map(|a| {
                let kind = param_kind(a)?;
                let help = a
                    .get_long_help()
                    .or(a.get_help())
                    .map(|h| h.to_string())
                    .unwrap_or_default();
                let values = match kind {
                    Param::Flag => Vec::new(),
                    Param::Value | Param::Repeated => a
                        .get_possible_values()
                        .iter()
                        .filter(|v| !v.is_hide_set())
                        .map(|v| v.get_name().to_string())
                        .collect(),
                };
                Some(QueryParam {
                    name: a.get_long()?.to_string(),
                    kind,
                    list: kind == Param::Repeated || a.get_value_delimiter().is_some(),
                    help,
                    values,
                })
            })
            .collect();
        params.push(QueryParam {
            name: PREVIEW_WORD.trim_start_matches('-').to_string(),
            kind: Param::Flag,
            list: false,
            help: PREVIEW_HELP.to_string(),
            values: Vec::new(),
        });
        BuildQuery { params, parse }
    }

    /// The query parameters, in the command line's order.
    pub fn params(&self) -> &[QueryParam] {
        &self.params
    }

    /// The batch options of a job's words, through the command line's parser; a `400`
    /// with clap's message (without its usage lines) if they are not options. The
    /// server's own word ([`PREVIEW_WORD`]) is left out.
    pub fn options(&self, words: &[String]) -> Result<BatchOptions, Problem> {
        let words: Vec<String> = words
            .iter()
            .filter(|w| *w != PREVIEW_WORD)
            .cloned()
            .collect();
        (self.parse)(&words)
            .map_err(|m| Problem::new(StatusCode::BAD_REQUEST, "bad-option", first_paragraph(&m)))
    }

    /// The query as the command line's words (checked by its parser), or a `400` naming
    /// the parameter.
    pub fn words(&self, params: &[(String, String)]) -> Result<Vec<String>, Problem> {
        let bad = |detail: String| Problem::new(StatusCode::BAD_REQUEST, "bad-option", detail);
        let mut words = Vec::new();
        for (name, value) in params {
            let Some(param) = self.params.iter().find(|p| &p.name == name) else {
                let known: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
                return Err(bad(format!(
                    "unknown parameter `{name}`; use {}",
                    known.join(", ")
                )));
            };
            match param.kind {
                Param::Value => words.push(format!("--{name}={value}")),
                Param::Repeated => {
                    for v in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                        words.push(format!("--{name}={v}"));
                    }
                }
                Param::Flag => match value.as_str() {
                    "" | "true" | "1" | "yes" => words.push(format!("--{name}")),
                    "false" | "0" | "no" => {}
                    _ => {
                        return Err(bad(format!(
                            "`{name}={value}`: write {name}=true or {name}=false"
                        )));
                    }
                },
            }
        }
        self.options(&words)?;
        Ok(words)
    }
}

/// The first paragraph of a message (clap's error without its usage lines), without
/// its `error: ` label.
fn first_paragraph(message: &str) -> String {
    let first = message.split("\n\n").next().unwrap_or(message).trim();
    first.strip_prefix("error: ").unwrap_or(first).to_string()
}

/// Whether a submission may set the option `arg`; else why not.
pub(crate) fn taken(arg: &clap::Arg) -> Result<(), &'static str> {
    let name = arg.get_long().ok_or("it has no long name (an input)")?;
    if let Some((_, why)) = NOT_TAKEN.iter().find(|(n, _)| *n == name) {
        return Err(*why);
    }
    if matches!(
        arg.get_value_hint(),
        clap::ValueHint::AnyPath
            | clap::ValueHint::FilePath
            | clap::ValueHint::DirPath
            | clap::ValueHint::ExecutablePath
    ) {
        return Err("it names a file or folder on the server");
    }
    if param_kind(arg).is_none() {
        return Err("clap's own (help, version)");
    }
    Ok(())
}

/// How the option `arg` is written as words, if it is an option a query can carry.
fn param_kind(arg: &clap::Arg) -> Option<Param> {
    match arg.get_action() {
        ArgAction::SetTrue => Some(Param::Flag),
        ArgAction::Set => Some(Param::Value),
        ArgAction::Append if arg.get_value_delimiter().is_some() => Some(Param::Value),
        ArgAction::Append => Some(Param::Repeated),
        _ => None,
    }
}

/// The query of the command line this crate builds (unit tests: the server's code under
/// test with `anpham build`'s own options).
#[cfg(test)]
pub(crate) fn of_cli() -> BuildQuery {
    BuildQuery::new(&crate::cli::build_command(), crate::cli::build_options_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built() -> clap::Command {
        let mut build = crate::cli::build_command();
        build.build();
        build
    }

    #[test]
    fn every_build_option_is_a_query_parameter_or_refused_for_a_reason() {
        let build = built();
        let query = of_cli();
        let is_param = |name: &str| query.params().iter().any(|p| p.name == name);
        let mut refused = Vec::new();
        for arg in build.get_arguments() {
            let Some(long) = arg.get_long() else {
                continue;
            };
            match taken(arg) {
                Ok(()) => assert!(is_param(long), "--{long} is taken but not a parameter"),
                Err(why) => {
                    assert!(
                        !is_param(long),
                        "--{long} is refused ({why}) but a parameter"
                    );
                    refused.push(long);
                }
            }
            // Nothing that names a file or folder on the server.
            if matches!(
                arg.get_value_hint(),
                clap::ValueHint::AnyPath | clap::ValueHint::FilePath | clap::ValueHint::DirPath
            ) {
                assert!(!is_param(long), "--{long} takes a path");
            }
        }
        // The list of refusals names options the command line has (it cannot go stale).
        for (name, _) in NOT_TAKEN {
            assert!(
                refused.contains(name),
                "--{name} is not an option of anpham build"
            );
        }
        assert!(refused.contains(&"help"), "{refused:?}");
        assert!(refused.contains(&"out-dir") && refused.contains(&"font"));
        // The contract's names, and how each becomes words.
        let kind = |name: &str| {
            query
                .params()
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.kind)
        };
        assert_eq!(kind("format"), Some(Param::Value));
        assert_eq!(kind("scale"), Some(Param::Repeated));
        assert_eq!(kind("each"), Some(Param::Flag));
        let list = |name: &str| query.params().iter().any(|p| p.name == name && p.list);
        assert!(list("format") && list("scale") && !list("page-size") && !list("each"));
        for name in ["page-size", "page-list", "name", "title", "repair"] {
            assert!(is_param(name), "{name}");
        }
        let page_size = query
            .params()
            .iter()
            .find(|p| p.name == "page-size")
            .unwrap();
        assert_eq!(page_size.values, ["a4", "a5", "letter"]);
        assert!(
            page_size.help.contains("page size [default: a5]"),
            "{page_size:?}"
        );
        // The long help where there is one: the formats' list.
        let format = query.params().iter().find(|p| p.name == "format").unwrap();
        for f in crate::editions::Format::all() {
            assert!(format.help.contains(f.name()), "{format:?}");
        }
    }

    #[test]
    fn the_query_takes_the_cli_names_and_refuses_others() {
        let query = of_cli();
        let q = |pairs: &[(&str, &str)]| {
            let v: Vec<(String, String)> = pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            query.words(&v)
        };
        let formats: Vec<&str> = crate::editions::Format::all()
            .filter(|f| f.by_default())
            .map(|f| f.name())
            .collect();
        let formats = formats.join(",");
        assert_eq!(
            q(&[
                ("format", formats.as_str()),
                ("scale", "large,-1"),
                ("page-size", "a5"),
                ("repair", "true"),
                ("each", "false"),
            ])
            .unwrap(),
            [
                format!("--format={formats}").as_str(),
                "--scale=large",
                "--scale=-1",
                "--page-size=a5",
                "--repair"
            ]
        );
        for refused in ["font", "jobs", "out-dir"] {
            let p = q(&[(refused, "/etc/passwd")]).unwrap_err();
            assert_eq!(p.status, 400);
            assert!(
                p.detail.contains(&format!("unknown parameter `{refused}`")),
                "{}",
                p.detail
            );
        }
        let p = q(&[("format", "docx")]).unwrap_err();
        assert!(p.detail.contains("docx"), "{}", p.detail);
        assert!(!p.detail.contains("Usage"), "{}", p.detail);
        assert!(q(&[("scale", "huge")]).is_err());
        assert!(q(&[("page-size", "b7")]).is_err());
        assert!(q(&[("each", "maybe")]).is_err());
    }
}
