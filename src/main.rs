//! The `anpham` command: parses arguments and calls the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};

use anpham::batch::{self, BatchOptions, Event, Job};
use anpham::input::PageSizeName;
use anpham::scale::{FontScale, MAX_STEP, MIN_STEP};

/// Accessible EPUB 3 and large-print tagged PDF/UA-1 editions of news articles.
///
/// Reads articles (JSON, TOML, Markdown with YAML front matter), folders of them, or a
/// bulletin manifest, and writes an EPUB and PDFs at one or more font scales.
#[derive(Parser)]
#[command(name = "anpham", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build editions (EPUB, PDF at each scale) of one article, a folder or a bulletin.
    ///
    /// Output names: SLUG.epub, SLUG.pdf (standard), SLUG.large.pdf (+3), SLUG.extra-large.pdf (+5),
    /// SLUG.step+1.pdf, SLUG.19pt.pdf … where SLUG is the article's slug (or the manifest's file name).
    Build(BuildArgs),
    /// Check inputs (syntax, fields, images, font coverage) without writing anything.
    Check {
        /// Article files, folders or a bulletin manifest.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Import saved article pages (.html/.htm, with their NAME_files folder) or the portal's
    /// plain-text copy (.txt) as Markdown articles: OUT_DIR/SLUG.md and OUT_DIR/img/SLUG/….
    ///
    /// Prints what was recognised (title, date, author, lead, figures) and what was not,
    /// with its place in the source. See docs/import.md.
    Import {
        /// Saved pages (.html, .htm) or text copies (.txt).
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// Output folder (created if missing).
        #[arg(short, long)]
        out_dir: PathBuf,
        /// Print only what needs attention and errors.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Print the font-scale ladder (print sizes and EPUB sizes).
    Scales,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Epub,
    Pdf,
}

#[derive(Args)]
struct BuildArgs {
    /// Article files (.json, .toml, .md), folders of them, or one bulletin manifest.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output folder (created if missing).
    #[arg(short, long, default_value = ".")]
    out_dir: PathBuf,
    /// Formats to build [default: epub,pdf, or the manifest's editions].
    #[arg(short, long, value_delimiter = ',')]
    format: Vec<Format>,
    /// PDF font scale: a step from -2 to +6, a name (small, standard, large, extra-large,
    /// largest) or a size such as 19pt. Repeat for several PDF editions [default: large].
    #[arg(short, long, allow_hyphen_values = true)]
    scale: Vec<FontScale>,
    /// The EPUB's base text size (readers can still resize) [default: standard].
    #[arg(long, allow_hyphen_values = true)]
    epub_scale: Option<FontScale>,
    /// Which PDF edition's pages the EPUB page list follows [default: the first --scale].
    #[arg(long, allow_hyphen_values = true)]
    page_list: Option<FontScale>,
    /// PDF page size [default: a5].
    #[arg(long)]
    page_size: Option<PageSizeArg>,
    /// Main font: a .ttf/.otf file (siblings named …-Bold, …-Italic are used for those
    /// styles) or an installed family name; the bundled fonts stay as fallbacks.
    #[arg(long)]
    font: Option<String>,
    /// Build separate editions for each article instead of one bulletin.
    #[arg(long)]
    each: bool,
    /// Worker threads [default: all cores].
    #[arg(short, long)]
    jobs: Option<usize>,
    /// Stop at the first failing article (with --each) instead of building the others.
    #[arg(long)]
    fail_fast: bool,
    /// Print only errors.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum PageSizeArg {
    A4,
    A5,
    Letter,
}

impl From<PageSizeArg> for PageSizeName {
    fn from(p: PageSizeArg) -> Self {
        match p {
            PageSizeArg::A4 => PageSizeName::A4,
            PageSizeArg::A5 => PageSizeName::A5,
            PageSizeArg::Letter => PageSizeName::Letter,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Scales => {
            println!("step  print body  EPUB base  name");
            for step in MIN_STEP..=MAX_STEP {
                let s = FontScale::Step(step);
                let name = match step {
                    -2 => "smallest",
                    -1 => "small",
                    0 => "standard",
                    3 => "large (large-print default)",
                    5 => "extra-large",
                    6 => "largest",
                    _ => "",
                };
                println!(
                    "{step:+4}  {:>7} pt  {:>8.1} %  {name}",
                    s.body_pt(),
                    s.epub_percent()
                );
            }
            ExitCode::SUCCESS
        }
        Command::Check { inputs } => match batch::check(&inputs) {
            Ok(summary) => {
                println!("{summary}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Build(args) => build(args),
        Command::Import {
            sources,
            out_dir,
            quiet,
        } => import(&sources, &out_dir, quiet),
    }
}

fn import(sources: &[PathBuf], out_dir: &std::path::Path, quiet: bool) -> ExitCode {
    let mut failed = 0;
    for source in sources {
        match anpham::import::write::import_to(source, out_dir) {
            Ok(done) => {
                println!("{}:", source.display());
                for note in &done.imported.notes {
                    if !quiet || note.kind == anpham::import::NoteKind::Attention {
                        println!("  {note}");
                    }
                }
                println!("wrote {}", done.written.markdown.display());
                for image in &done.written.images {
                    println!("wrote {}", image.display());
                }
                if let Err(e) = &done.reads_back {
                    println!(
                        "  to fix in {} before building:",
                        done.written.markdown.display()
                    );
                    for line in e.to_string().lines() {
                        println!("    {line}");
                    }
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed} source(s) could not be imported");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let started = Instant::now();
    let options = BatchOptions {
        out_dir: args.out_dir.clone(),
        epub: (!args.format.is_empty()).then(|| args.format.contains(&Format::Epub)),
        pdf: (!args.format.is_empty()).then(|| args.format.contains(&Format::Pdf)),
        scales: (!args.scale.is_empty()).then(|| args.scale.clone()),
        epub_scale: args.epub_scale,
        page_list: args.page_list,
        page_size: args.page_size.map(Into::into),
        font: args.font.clone(),
        each: args.each,
        jobs: args.jobs,
        fail_fast: args.fail_fast,
    };
    let jobs: Vec<Job> = match batch::plan(&args.inputs, &options) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let interactive = std::io::stderr().is_terminal() && !args.quiet;
    let total: usize = jobs.iter().map(Job::outputs).sum();
    let bar = interactive.then(|| {
        let b = indicatif::ProgressBar::new(total as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} editions, {msg} (ETA {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let quiet = args.quiet;
    let mut articles_done = 0usize;
    let report = batch::run(jobs, &options, |event| match event {
        Event::Written(w) => {
            if let Some(b) = &bar {
                b.inc(1);
                b.set_message(format!("{} article(s) done", articles_done));
            } else if !quiet {
                println!("wrote {}", w.path.display());
            }
        }
        Event::Finished { .. } => articles_done += 1,
        Event::Failed { error, .. } => {
            if let Some(b) = &bar {
                b.suspend(|| eprintln!("error: {error}"));
            } else {
                eprintln!("error: {error}");
            }
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if !quiet && !report.written.is_empty() {
        println!(
            "\n{:<48} {:>6} {:>10} {:>8}",
            "file", "pages", "size", "time"
        );
        for w in &report.written {
            println!(
                "{:<48} {:>6} {:>10} {:>7.2}s",
                w.path.display(),
                w.pages.map_or("-".into(), |p| p.to_string()),
                human_size(w.bytes),
                w.seconds
            );
        }
        println!(
            "{} file(s) in {:.2}s",
            report.written.len(),
            started.elapsed().as_secs_f64()
        );
    }
    if report.failures > 0 {
        eprintln!("{} article(s) or edition(s) failed", report.failures);
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn human_size(b: usize) -> String {
    if b >= 1 << 20 {
        format!("{:.1} MiB", b as f64 / (1 << 20) as f64)
    } else {
        format!("{:.1} KiB", b as f64 / 1024.0)
    }
}
