//! Writes photo-like JPEG files for the benchmark inputs of `scripts/gen-input.py`:
//! deterministic (the same seed gives the same bytes), different for every seed, and as
//! hard to compress as a news photo (smooth gradients, textures at several scales,
//! shapes with edges, sensor grain), not flat colour.
//!
//! usage: cargo run --release --example gen-photos -- LIST
//!
//! LIST holds one photo a line: `PATH WIDTH HEIGHT SEED`. A file that exists already
//! with the size the line asks for is left alone (the generator is deterministic).
//! Photos are made in parallel (rayon). JPEG quality 85, 4:2:0, baseline, with an EXIF
//! block whose orientation is 1 (upright), as a camera or a portal's CMS writes.

use std::io::Write as _;
use std::path::Path;

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use rayon::prelude::*;

/// A small, fast, seedable generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }
}

/// One octave of value noise: a grid of random values, interpolated bilinearly.
struct Octave {
    cols: usize,
    rows: usize,
    cell: f32,
    values: Vec<f32>,
    amplitude: f32,
}

impl Octave {
    fn new(rng: &mut Rng, width: usize, height: usize, cell: f32, amplitude: f32) -> Octave {
        let cols = (width as f32 / cell).ceil() as usize + 2;
        let rows = (height as f32 / cell).ceil() as usize + 2;
        let values = (0..cols * rows).map(|_| rng.range(-1.0, 1.0)).collect();
        Octave {
            cols,
            rows,
            cell,
            values,
            amplitude,
        }
    }

    /// Adds this octave to one row of the luminance offsets.
    fn add_row(&self, y: usize, row: &mut [f32]) {
        let fy = y as f32 / self.cell;
        let gy = (fy as usize).min(self.rows - 2);
        let ty = fy - gy as f32;
        let ty = ty * ty * (3.0 - 2.0 * ty);
        let a = &self.values[gy * self.cols..(gy + 1) * self.cols];
        let b = &self.values[(gy + 1) * self.cols..(gy + 2) * self.cols];
        // The grid row interpolated in y once, then each pixel in x.
        let line: Vec<f32> = a.iter().zip(b).map(|(p, q)| p + (q - p) * ty).collect();
        for (x, v) in row.iter_mut().enumerate() {
            let fx = x as f32 / self.cell;
            let gx = (fx as usize).min(self.cols - 2);
            let tx = fx - gx as f32;
            let tx = tx * tx * (3.0 - 2.0 * tx);
            *v += self.amplitude * (line[gx] + (line[gx + 1] - line[gx]) * tx);
        }
    }
}

/// A filled ellipse or rectangle with a colour and a soft edge.
struct Shape {
    cx: f32,
    cy: f32,
    rx: f32,
    ry: f32,
    ellipse: bool,
    colour: [f32; 3],
    opacity: f32,
}

/// Renders photo `seed` at `width` × `height` as RGB bytes.
fn render(width: usize, height: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5DEE_CE66);
    let scale = width.max(height) as f32 / 1600.0;
    // A sky-to-ground gradient in two random colours, a horizon somewhere in the middle.
    let top = [
        rng.range(60.0, 230.0),
        rng.range(60.0, 230.0),
        rng.range(90.0, 250.0),
    ];
    let bottom = [
        rng.range(20.0, 160.0),
        rng.range(20.0, 160.0),
        rng.range(10.0, 140.0),
    ];
    let horizon = rng.range(0.3, 0.7);
    let octaves = [
        Octave::new(&mut rng, width, height, 220.0 * scale, 38.0),
        Octave::new(&mut rng, width, height, 55.0 * scale, 22.0),
        Octave::new(&mut rng, width, height, 12.0 * scale, 12.0),
        Octave::new(&mut rng, width, height, 3.0, 5.0),
    ];
    // Sensor grain: more on a bigger sensor's photo, as a camera's files are larger per
    // pixel than a portal's re-encoded ones.
    let grain_amplitude = 3.0 * scale * scale.sqrt();
    let shapes: Vec<Shape> = (0..rng.range(12.0, 28.0) as usize)
        .map(|_| Shape {
            cx: rng.range(0.0, width as f32),
            cy: rng.range(height as f32 * 0.2, height as f32),
            rx: rng.range(20.0, 260.0) * scale,
            ry: rng.range(20.0, 260.0) * scale,
            ellipse: rng.unit() < 0.6,
            colour: [
                rng.range(0.0, 255.0),
                rng.range(0.0, 255.0),
                rng.range(0.0, 255.0),
            ],
            opacity: rng.range(0.35, 0.9),
        })
        .collect();
    let grain_seed = rng.next();
    let mut out = vec![0u8; width * height * 3];
    out.par_chunks_mut(width * 3)
        .enumerate()
        .for_each(|(y, row_out)| {
            let mut grain = Rng(grain_seed ^ (y as u64).wrapping_mul(0x9E37_79B9));
            let mut light = vec![0.0f32; width];
            for o in &octaves {
                o.add_row(y, &mut light);
            }
            let t = y as f32 / height as f32;
            let k = if t < horizon {
                t / horizon * 0.35
            } else {
                0.65 + (t - horizon) / (1.0 - horizon) * 0.35
            };
            let base = [0, 1, 2].map(|c| top[c] + (bottom[c] - top[c]) * k);
            let mut rgb_row: Vec<[f32; 3]> = vec![base; width];
            // Each shape only over the pixels of its bounding box on this row.
            for s in &shapes {
                let dy = (y as f32 - s.cy) / s.ry;
                if dy.abs() >= 1.0 {
                    continue;
                }
                let x0 = (s.cx - s.rx).max(0.0) as usize;
                let x1 = ((s.cx + s.rx).ceil().max(0.0) as usize).min(width);
                for (x, rgb) in rgb_row.iter_mut().enumerate().take(x1).skip(x0) {
                    let dx = (x as f32 - s.cx) / s.rx;
                    let d = if s.ellipse {
                        dx * dx + dy * dy
                    } else {
                        dx.abs().max(dy.abs())
                    };
                    if d < 1.0 {
                        let a = s.opacity * ((1.0 - d) * 8.0).min(1.0);
                        for (v, target) in rgb.iter_mut().zip(s.colour) {
                            *v += (target - *v) * a;
                        }
                    }
                }
            }
            for (x, rgb) in rgb_row.iter().enumerate() {
                let g = grain.range(-grain_amplitude, grain_amplitude);
                for (out, v) in row_out[x * 3..x * 3 + 3].iter_mut().zip(rgb) {
                    *out = (v + light[x] + g).clamp(0.0, 255.0) as u8;
                }
            }
        });
    out
}

/// The EXIF block (after `Exif\0\0`): a big-endian TIFF with one IFD entry,
/// Orientation = 1.
fn exif_upright() -> Vec<u8> {
    let mut e = b"MM\0\x2a\0\0\0\x08".to_vec();
    e.extend_from_slice(&[0, 1]); // one entry
    e.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 1, 0, 0]); // Orientation, SHORT, 1
    e.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
    e
}

fn write_photo(path: &Path, width: u16, height: u16, seed: u64) -> Result<(), String> {
    let rgb = render(width as usize, height as usize, seed);
    let mut bytes = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = Encoder::new(&mut bytes, 85);
    encoder.set_sampling_factor(SamplingFactor::F_2_2);
    encoder
        .add_exif_metadata(&exif_upright())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    encoder
        .encode(&rgb, width, height, ColorType::Rgb)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    // Written whole, then renamed: an interrupted run leaves no truncated photo.
    let tmp = path.with_extension("jpg.part");
    std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(&bytes))
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Whether `path` is a JPEG of `width` × `height` already (its SOF0 header).
fn is_done(path: &Path, width: u16, height: u16) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]);
    sof.and_then(|i| bytes.get(i + 5..i + 9)).is_some_and(|h| {
        u16::from_be_bytes([h[0], h[1]]) == height && u16::from_be_bytes([h[2], h[3]]) == width
    })
}

fn main() {
    let Some(list) = std::env::args().nth(1) else {
        eprintln!("usage: gen-photos LIST   (LIST: one `PATH WIDTH HEIGHT SEED` a line)");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&list) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("gen-photos: {list}: {e}");
            std::process::exit(1);
        }
    };
    let mut jobs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let parsed = match f.as_slice() {
            [p, w, h, s] => match (w.parse::<u16>(), h.parse::<u16>(), s.parse::<u64>()) {
                (Ok(w), Ok(h), Ok(s)) if w > 0 && h > 0 => Some((p.to_string(), w, h, s)),
                _ => None,
            },
            [] => continue,
            _ => None,
        };
        match parsed {
            Some(job) => jobs.push(job),
            None => {
                eprintln!(
                    "gen-photos: {list}:{}: expected `PATH WIDTH HEIGHT SEED`, got `{line}`",
                    n + 1
                );
                std::process::exit(1);
            }
        }
    }
    let todo: Vec<_> = jobs
        .iter()
        .filter(|(p, w, h, _)| !is_done(Path::new(p), *w, *h))
        .collect();
    let errors: Vec<String> = todo
        .par_iter()
        .filter_map(|(p, w, h, s)| write_photo(Path::new(p), *w, *h, *s).err())
        .collect();
    for e in &errors {
        eprintln!("gen-photos: {e}");
    }
    println!(
        "gen-photos: {} photos, {} made, {} already there",
        jobs.len(),
        todo.len(),
        jobs.len() - todo.len()
    );
    if !errors.is_empty() {
        std::process::exit(1);
    }
}
