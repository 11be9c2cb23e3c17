//! The few liblouis calls the braille edition needs, made safe: the only `unsafe` code of
//! anpham.
//!
//! liblouis is **loaded at run time** (`dlopen` through the `libloading` crate), never linked:
//! anpham builds with Rust alone, and its binary starts on a machine without liblouis. The
//! library is loaded once, on the first braille call ([`OnceLock`]); the names tried, in order,
//! are `LIBRARY_NAMES` (`liblouis.so.20` is the only name Debian's runtime package
//! `liblouis20` installs; `liblouis.so` comes with the `-dev` package). When none loads, every
//! call returns [`LouisError::Missing`], whose message says what to install; only the braille
//! edition fails, the others are still written.
//!
//! Six functions of liblouis's C API are resolved (`lou_translateString`,
//! `lou_backTranslateString`, `lou_checkTable`, `lou_version`, `lou_charSize`, `lou_free`)
//! and wrapped in safe functions. Invariants the wrappers keep:
//! * **The library stays loaded.** The [`Library`] lives in a `static` for the rest of the
//!   process, so the function pointers copied out of it never dangle.
//! * **Declared types match the C API** (liblouis 3.x `liblouis.h`: `int`, `widechar *`,
//!   `formtype *` = `unsigned short *`, `char *`).
//! * **One caller at a time.** liblouis keeps its compiled tables in global state and is not
//!   thread-safe; every call holds `LOCK`.
//! * **Valid buffers.** Input is passed as a `Vec<u32>` (liblouis's `widechar` is 32 bits in a
//!   UCS-4 build, as Debian configures it; `lou_charSize` is checked when the library is loaded
//!   and a 16-bit build is refused) with its true length; the output buffer is allocated with
//!   the capacity passed as `outlen`, and only the `outlen` elements liblouis reports written
//!   are read.
//! * **C strings.** Table lists are `CString`s, so they hold no interior NUL and end in one.
//! * No pointer kept by liblouis outlives a call: typeform and spacing are null.
#![allow(unsafe_code)]
#![deny(unsafe_op_in_unsafe_fn)]

use std::ffi::{CStr, CString, c_char, c_int};
use std::sync::{Mutex, MutexGuard, OnceLock};

use libloading::Library;

/// The file names tried, in order, when liblouis is loaded.
pub(crate) const LIBRARY_NAMES: [&str; 4] = [
    "liblouis.so.20",
    "liblouis.so",
    "liblouis.dylib",
    "liblouis.dll",
];

/// What to install to get liblouis, for error messages.
pub(crate) const INSTALL_HINT: &str = "install liblouis: `apt-get install liblouis20` (Debian/Ubuntu), `dnf install liblouis` (Fedora), `brew install liblouis` (macOS)";

/// Serialises every call into liblouis (its table cache is global state).
pub(crate) static LOCK: Mutex<()> = Mutex::new(());

/// liblouis mode: the output is dot patterns …
pub(crate) const DOTS_IO: c_int = 4;
/// … written as Unicode braille (U+2800–U+28FF).
pub(crate) const UC_BRL: c_int = 64;
/// liblouis mode: characters the table does not define produce nothing
/// (instead of a `\xhhhh/` escape).
pub(crate) const NO_UNDEFINED: c_int = 128;

/// `lou_translateString` and `lou_backTranslateString` (same signature).
type TranslateFn = unsafe extern "C" fn(
    *const c_char,
    *const u32,
    *mut c_int,
    *mut u32,
    *mut c_int,
    *mut u16,
    *mut c_char,
    c_int,
) -> c_int;
type CheckTableFn = unsafe extern "C" fn(*const c_char) -> c_int;
type VersionFn = unsafe extern "C" fn() -> *const c_char;
type CharSizeFn = unsafe extern "C" fn() -> c_int;
type FreeFn = unsafe extern "C" fn();

/// The loaded library and its functions.
struct Louis {
    translate: TranslateFn,
    back_translate: TranslateFn,
    check_table: CheckTableFn,
    version: VersionFn,
    // Called by `free_tables`, which only the tests use.
    #[cfg_attr(not(test), allow(dead_code))]
    free: FreeFn,
    /// Keeps the library mapped while the function pointers above are in use (for ever: the
    /// value lives in [`LOUIS`]).
    _library: Library,
}

static LOUIS: OnceLock<Result<Louis, LouisError>> = OnceLock::new();

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LouisError {
    /// liblouis could not be loaded (not installed, or unusable); the message says why and
    /// what to install.
    Missing(String),
    /// The table list contains a NUL byte.
    BadTableName,
    /// liblouis could not compile the table list (a missing file, a syntax error).
    Table(String),
    /// The text is too long for liblouis's `int` lengths.
    TooLong,
    /// liblouis returned failure for this text.
    Failed,
}

impl std::fmt::Display for LouisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LouisError::Missing(why) => write!(f, "{why}\n  hint: {INSTALL_HINT}"),
            LouisError::BadTableName => write!(f, "a table name contains a NUL byte"),
            LouisError::Table(t) => write!(f, "liblouis cannot compile the table list `{t}`"),
            LouisError::TooLong => write!(f, "the text is too long for one liblouis call"),
            LouisError::Failed => write!(f, "liblouis could not translate the text"),
        }
    }
}

impl std::error::Error for LouisError {}

/// Loads liblouis from the first of `names` that loads and resolves its functions.
fn load(names: &[&str]) -> Result<Louis, LouisError> {
    let mut tried = Vec::new();
    for name in names {
        // SAFETY: loading liblouis runs its (absent or trivial) initialisers; no Rust state is
        // touched. The name is a plain file name looked up in the system's library path.
        match unsafe { Library::new(*name) } {
            Ok(library) => return resolve(name, library),
            Err(e) => tried.push(format!("{name} ({e})")),
        }
    }
    Err(LouisError::Missing(format!(
        "the braille edition needs the liblouis library, which was not found (tried {})",
        tried.join("; ")
    )))
}

/// Resolves the functions of a loaded liblouis and checks its `widechar` width.
fn resolve(name: &str, library: Library) -> Result<Louis, LouisError> {
    fn symbol<T: Copy>(library: &Library, name: &str, symbol: &str) -> Result<T, LouisError> {
        // SAFETY: each call below names `T` as the C signature of `symbol` in liblouis.h; the
        // pointer copied out stays valid as long as `library` is loaded (see `Louis`).
        unsafe { library.get::<T>(symbol) }
            .map(|s| *s)
            .map_err(|e| {
                LouisError::Missing(format!(
                    "{name} was loaded but lacks {symbol} ({e}); it is not a usable liblouis 3"
                ))
            })
    }
    let char_size: CharSizeFn = symbol(&library, name, "lou_charSize")?;
    // SAFETY: no arguments, returns an int (the size of `widechar` in bytes).
    let width = unsafe { char_size() };
    if width != 4 {
        return Err(LouisError::Missing(format!(
            "{name} uses {width}-byte widechar; anpham needs a UCS-4 liblouis (configured with --enable-ucs4, as Debian and Ubuntu build it)"
        )));
    }
    Ok(Louis {
        translate: symbol(&library, name, "lou_translateString")?,
        back_translate: symbol(&library, name, "lou_backTranslateString")?,
        check_table: symbol(&library, name, "lou_checkTable")?,
        version: symbol(&library, name, "lou_version")?,
        free: symbol(&library, name, "lou_free")?,
        _library: library,
    })
}

/// The loaded liblouis (loading it on the first call), or why it cannot be used.
fn louis() -> Result<&'static Louis, LouisError> {
    LOUIS
        .get_or_init(|| load(&LIBRARY_NAMES))
        .as_ref()
        .map_err(Clone::clone)
}

/// Whether liblouis can be loaded; `Err` says why not and what to install.
pub fn available() -> Result<(), String> {
    louis().map(|_| ()).map_err(|e| e.to_string())
}

fn lock() -> MutexGuard<'static, ()> {
    // A panic while holding the lock cannot leave liblouis in a state we rely on.
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// liblouis's version string (`3.24.0`).
pub(crate) fn version() -> Result<String, LouisError> {
    let louis = louis()?;
    let _g = lock();
    // SAFETY: lou_version takes no arguments and returns a pointer to a static string.
    let p = unsafe { (louis.version)() };
    if p.is_null() {
        return Ok(String::new());
    }
    // SAFETY: non-null, static, NUL-terminated (liblouis's own constant).
    Ok(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

/// Whether liblouis can compile `table_list` (comma-separated table files).
pub(crate) fn check_table(table_list: &str) -> Result<bool, LouisError> {
    let louis = louis()?;
    let Ok(c) = CString::new(table_list) else {
        return Ok(false);
    };
    let _g = lock();
    // SAFETY: `c` is a valid NUL-terminated string that lives across the call.
    Ok((unsafe { (louis.check_table)(c.as_ptr()) }) != 0)
}

/// Frees every table liblouis has compiled (`lou_free`); the next call compiles again what it
/// needs. For embedders that want the memory back after a braille edition.
#[cfg(test)]
pub(crate) fn free_tables() -> Result<(), LouisError> {
    let louis = louis()?;
    let _g = lock();
    // SAFETY: no arguments; under the lock no other call is using the tables, and no pointer
    // into them is kept between calls.
    unsafe { (louis.free)() };
    Ok(())
}

fn run(
    call: TranslateFn,
    table_list: &str,
    input: &[u32],
    mode: c_int,
) -> Result<Vec<u32>, LouisError> {
    let tables = CString::new(table_list).map_err(|_| LouisError::BadTableName)?;
    let in_len = c_int::try_from(input.len()).map_err(|_| LouisError::TooLong)?;
    if input.is_empty() {
        return Ok(Vec::new());
    }
    // Contracted braille is shorter than print, but signs (capitals, numbers, tones) can make
    // it longer; grow the buffer until liblouis has consumed the whole input with room to spare.
    let mut cap = input.len() * 3 + 16;
    loop {
        let cap_c = c_int::try_from(cap).map_err(|_| LouisError::TooLong)?;
        let mut out = vec![0u32; cap];
        let mut inlen = in_len;
        let mut outlen = cap_c;
        let g = lock();
        // SAFETY: `call` is lou_translateString or lou_backTranslateString of the loaded
        // library; `tables` is NUL-terminated; `input` has `in_len` elements of a 32-bit
        // widechar (checked at load); `out` has `cap` elements and `outlen` says so; typeform
        // and spacing are null (allowed by the API). liblouis writes at most `outlen` elements
        // and stores the counts in inlen/outlen.
        let ok = unsafe {
            call(
                tables.as_ptr(),
                input.as_ptr(),
                &mut inlen,
                out.as_mut_ptr(),
                &mut outlen,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                mode,
            )
        };
        drop(g);
        if ok == 0 {
            return Err(if check_table(table_list)? {
                LouisError::Failed
            } else {
                LouisError::Table(table_list.to_string())
            });
        }
        let written = usize::try_from(outlen).unwrap_or(0).min(cap);
        if inlen >= in_len && written < cap {
            out.truncate(written);
            return Ok(out);
        }
        if cap > input.len() * 64 + 1024 {
            return Err(LouisError::Failed);
        }
        cap *= 2;
    }
}

/// Translates `text` to braille with the tables in `table_list`; `mode` is a sum of the mode
/// constants of this module. With [`DOTS_IO`]` | `[`UC_BRL`] the result is Unicode braille.
pub(crate) fn translate(table_list: &str, text: &str, mode: c_int) -> Result<String, LouisError> {
    let louis = louis()?;
    let input: Vec<u32> = text.chars().map(u32::from).collect();
    let out = run(louis.translate, table_list, &input, mode)?;
    Ok(out.into_iter().filter_map(char::from_u32).collect())
}

/// Back-translates braille (Unicode braille, or ASCII braille with a display table) to print.
pub(crate) fn back_translate(
    table_list: &str,
    braille: &str,
    mode: c_int,
) -> Result<String, LouisError> {
    let louis = louis()?;
    let input: Vec<u32> = braille.chars().map(u32::from).collect();
    let out = run(louis.back_translate, table_list, &input, mode)?;
    Ok(out.into_iter().filter_map(char::from_u32).collect())
}

/// For tests: whether liblouis is loaded. Without it a test says `SKIPPED` with the reason
/// and passes outside CI; in CI (`CI` set) it fails.
#[cfg(test)]
pub(crate) fn loaded_or_skip() -> bool {
    match available() {
        Ok(()) => true,
        Err(e) => {
            crate::test_support::skip(&e.to_string());
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYS: &str = "/usr/share/liblouis/tables/";

    #[test]
    fn translates_to_unicode_braille_and_back() {
        if !loaded_or_skip() {
            return;
        }
        let t = format!("{SYS}en-ueb-g1.ctb");
        let b = translate(&t, "abc", DOTS_IO | UC_BRL).unwrap();
        assert_eq!(b, "\u{2801}\u{2803}\u{2809}");
        let back = back_translate(&format!("{SYS}unicode.dis,{t}"), &b, 0).unwrap();
        assert_eq!(back, "abc");
        // After the tables are freed, the next call compiles them again.
        free_tables().unwrap();
        assert_eq!(translate(&t, "abc", DOTS_IO | UC_BRL).unwrap(), b);
    }

    #[test]
    fn missing_table_is_an_error_not_a_crash() {
        if !loaded_or_skip() {
            return;
        }
        let e = translate("/nonexistent/table.ctb", "abc", DOTS_IO | UC_BRL).unwrap_err();
        assert!(matches!(e, LouisError::Table(_)), "{e:?}");
        assert_eq!(
            translate("a\0b", "x", 0).unwrap_err(),
            LouisError::BadTableName
        );
        assert_eq!(check_table("/nonexistent/table.ctb"), Ok(false));
    }

    #[test]
    fn long_text_grows_the_buffer() {
        if !loaded_or_skip() {
            return;
        }
        let t = format!("{SYS}en-ueb-g1.ctb");
        // Capitals and digits make braille longer than print.
        let s = "A1B2C3D4E5".repeat(500);
        let b = translate(&t, &s, DOTS_IO | UC_BRL).unwrap();
        assert!(b.chars().count() > s.len());
        assert!(version().unwrap().starts_with('3'));
    }

    /// A library that is not there is an error naming every file tried and what to install,
    /// not a crash (the same path as a machine without liblouis).
    #[test]
    fn missing_library_says_what_to_install() {
        let Err(e) = load(&["libanpham-no-such-louis.so.20", "/nonexistent/liblouis.so"]) else {
            panic!("a library that does not exist loaded");
        };
        let m = e.to_string();
        for part in [
            "libanpham-no-such-louis.so.20",
            "/nonexistent/liblouis.so",
            "apt-get install liblouis20",
            "dnf install liblouis",
            "brew install liblouis",
        ] {
            assert!(m.contains(part), "{part}: {m}");
        }
        assert!(matches!(e, LouisError::Missing(_)));
    }

    /// A library that loads but is not liblouis is refused with the missing function's name.
    #[test]
    fn a_library_that_is_not_liblouis_is_refused() {
        // libc is loaded in every Linux process; elsewhere the test has nothing to load.
        let Err(e) = load(&["libc.so.6"]) else {
            panic!("libc passed for liblouis");
        };
        let m = e.to_string();
        if cfg!(target_os = "linux") {
            assert!(m.contains("libc.so.6") && m.contains("lou_charSize"), "{m}");
        }
    }
}
