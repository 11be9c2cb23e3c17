//! The few liblouis calls anpham needs, made safe.
//!
//! This crate is the only place in anpham with `unsafe` code. It declares four functions of
//! liblouis's C API (`lou_translateString`, `lou_backTranslateString`, `lou_checkTable`,
//! `lou_version`) and wraps each in a safe function.
//!
//! Invariants the wrappers keep:
//! * **One caller at a time.** liblouis keeps its compiled tables in global state and is not
//!   thread-safe; every call holds [`LOCK`].
//! * **Valid buffers.** Input is passed as a `Vec<u32>` (liblouis's `widechar` is 32 bits on
//!   Debian, which configures liblouis with `--enable-ucs4`; [`widechar_is_32_bits`] checks it
//!   at run time) with its true length; the output buffer is allocated with the capacity
//!   passed as `outlen`, and only the `outlen` elements liblouis reports written are read.
//! * **C strings.** Table lists are `CString`s, so they hold no interior NUL and end in one.
//! * No pointer kept by liblouis outlives a call: typeform and spacing are null.
#![deny(unsafe_op_in_unsafe_fn)]

use std::ffi::{CStr, CString, c_char, c_int};
use std::sync::Mutex;

/// Serialises every call into liblouis (its table cache is global state).
pub static LOCK: Mutex<()> = Mutex::new(());

/// liblouis mode: the output is dot patterns …
pub const DOTS_IO: c_int = 4;
/// … written as Unicode braille (U+2800–U+28FF).
pub const UC_BRL: c_int = 64;
/// liblouis mode: characters the table does not define produce nothing
/// (instead of a `\xhhhh/` escape).
pub const NO_UNDEFINED: c_int = 128;

#[link(name = "louis")]
unsafe extern "C" {
    fn lou_translateString(
        table_list: *const c_char,
        inbuf: *const u32,
        inlen: *mut c_int,
        outbuf: *mut u32,
        outlen: *mut c_int,
        typeform: *mut u16,
        spacing: *mut c_char,
        mode: c_int,
    ) -> c_int;
    fn lou_backTranslateString(
        table_list: *const c_char,
        inbuf: *const u32,
        inlen: *mut c_int,
        outbuf: *mut u32,
        outlen: *mut c_int,
        typeform: *mut u16,
        spacing: *mut c_char,
        mode: c_int,
    ) -> c_int;
    fn lou_checkTable(table_list: *const c_char) -> c_int;
    fn lou_version() -> *const c_char;
    fn lou_charSize() -> c_int;
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LouisError {
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
            LouisError::BadTableName => write!(f, "a table name contains a NUL byte"),
            LouisError::Table(t) => write!(f, "liblouis cannot compile the table list `{t}`"),
            LouisError::TooLong => write!(f, "the text is too long for one liblouis call"),
            LouisError::Failed => write!(f, "liblouis could not translate the text"),
        }
    }
}

impl std::error::Error for LouisError {}

fn lock() -> std::sync::MutexGuard<'static, ()> {
    // A panic while holding the lock cannot leave liblouis in a state we rely on.
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// liblouis's version string (`3.24.0`).
pub fn version() -> String {
    let _g = lock();
    // SAFETY: lou_version returns a pointer to a static NUL-terminated string.
    let p = unsafe { lou_version() };
    if p.is_null() {
        return String::new();
    }
    // SAFETY: non-null, static, NUL-terminated (liblouis's own constant).
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// Whether this liblouis was built with 32-bit `widechar` (UCS-4), as these wrappers need.
pub fn widechar_is_32_bits() -> bool {
    let _g = lock();
    // SAFETY: no arguments, returns an int.
    (unsafe { lou_charSize() }) == 4
}

/// Whether liblouis can compile `table_list` (comma-separated table files).
pub fn check_table(table_list: &str) -> bool {
    let Ok(c) = CString::new(table_list) else {
        return false;
    };
    let _g = lock();
    // SAFETY: `c` is a valid NUL-terminated string that lives across the call.
    (unsafe { lou_checkTable(c.as_ptr()) }) != 0
}

type Call = unsafe extern "C" fn(
    *const c_char,
    *const u32,
    *mut c_int,
    *mut u32,
    *mut c_int,
    *mut u16,
    *mut c_char,
    c_int,
) -> c_int;

fn run(call: Call, table_list: &str, input: &[u32], mode: c_int) -> Result<Vec<u32>, LouisError> {
    if !widechar_is_32_bits() {
        return Err(LouisError::Table(
            "this liblouis uses 16-bit widechar; anpham needs a UCS-4 build".into(),
        ));
    }
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
        let _g = lock();
        // SAFETY: `tables` is NUL-terminated; `input` has `in_len` elements; `out` has `cap`
        // elements and `outlen` says so; typeform and spacing are null (allowed by the API).
        // liblouis writes at most `outlen` elements and stores the counts in inlen/outlen.
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
        drop(_g);
        if ok == 0 {
            return Err(if check_table(table_list) {
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
/// constants of this crate. With [`DOTS_IO`]` | `[`UC_BRL`] the result is Unicode braille.
pub fn translate(table_list: &str, text: &str, mode: c_int) -> Result<String, LouisError> {
    let input: Vec<u32> = text.chars().map(u32::from).collect();
    let out = run(lou_translateString, table_list, &input, mode)?;
    Ok(out.into_iter().filter_map(char::from_u32).collect())
}

/// Back-translates braille (Unicode braille, or ASCII braille with a display table) to print.
pub fn back_translate(table_list: &str, braille: &str, mode: c_int) -> Result<String, LouisError> {
    let input: Vec<u32> = braille.chars().map(u32::from).collect();
    let out = run(lou_backTranslateString, table_list, &input, mode)?;
    Ok(out.into_iter().filter_map(char::from_u32).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYS: &str = "/usr/share/liblouis/tables/";

    #[test]
    fn translates_to_unicode_braille_and_back() {
        let t = format!("{SYS}en-ueb-g1.ctb");
        let b = translate(&t, "abc", DOTS_IO | UC_BRL).unwrap();
        assert_eq!(b, "\u{2801}\u{2803}\u{2809}");
        let back = back_translate(&format!("{SYS}unicode.dis,{t}"), &b, 0).unwrap();
        assert_eq!(back, "abc");
    }

    #[test]
    fn missing_table_is_an_error_not_a_crash() {
        let e = translate("/nonexistent/table.ctb", "abc", DOTS_IO | UC_BRL).unwrap_err();
        assert!(matches!(e, LouisError::Table(_)), "{e:?}");
        assert_eq!(
            translate("a\0b", "x", 0).unwrap_err(),
            LouisError::BadTableName
        );
    }

    #[test]
    fn long_text_grows_the_buffer() {
        let t = format!("{SYS}en-ueb-g1.ctb");
        // Capitals and digits make braille longer than print.
        let s = "A1B2C3D4E5".repeat(500);
        let b = translate(&t, &s, DOTS_IO | UC_BRL).unwrap();
        assert!(b.chars().count() > s.len());
        assert!(version().starts_with('3'));
    }
}
