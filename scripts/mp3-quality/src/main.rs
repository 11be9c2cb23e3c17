//! Measures LAME's `-q` settings for the talking book (docs/talking-book.md, "The encoder
//! setting"); not part of anpham.
//!
//! `mp3-quality encode Q IN.raw OUT.mp3`: encodes 22,050 Hz mono s16le samples as
//! `speech::mp3::encoder` does (48 kbit/s CBR, no Xing/LAME tag) at LAME quality `Q`; prints
//! the thread's CPU seconds of the encoding.
//!
//! `mp3-quality compare REF.raw DEC.raw`: the decoded MP3 (e.g. by `sox A.mp3 -t raw -e
//! signed -b 16 -c 1 DEC.raw`) against the samples that were encoded: the best lag in
//! 1105 ± 64 samples (the encoder's and decoder's delay, `speech::mp3::START_OFFSET`), SNR,
//! segmental SNR (20 ms frames above -50 dBFS, each clamped to -10..35 dB) and the
//! log-spectral distance (512-sample Hann frames above -50 dBFS, bins 0-4, 0-8 and
//! 0-11 kHz, power floor -100 dB).
use mp3lame_encoder::{Bitrate, Builder, FlushGap, MonoPcm, Quality};

fn read_raw(p: &str) -> Vec<f64> {
    std::fs::read(p)
        .unwrap()
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]) as f64 / 32768.0)
        .collect()
}

fn cpu_ns() -> u64 {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap();
    s.split_whitespace().next().unwrap().parse().unwrap()
}

fn encode(q: u8, input: &str, out: &str) {
    let bytes = std::fs::read(input).unwrap();
    let s: Vec<i16> = bytes
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    let quality = match q {
        0 => Quality::Best,
        1 => Quality::SecondBest,
        2 => Quality::NearBest,
        3 => Quality::VeryNice,
        4 => Quality::Nice,
        5 => Quality::Good,
        6 => Quality::Decent,
        7 => Quality::Ok,
        8 => Quality::SecondWorst,
        _ => Quality::Worst,
    };
    let t0 = cpu_ns();
    let w0 = std::time::Instant::now();
    let mut b = Builder::new().unwrap();
    b.set_num_channels(1).unwrap();
    b.set_sample_rate(22050).unwrap();
    b.set_output_sample_rate(std::num::NonZeroU32::new(22050))
        .unwrap();
    b.set_brate(Bitrate::Kbps48).unwrap();
    b.set_quality(quality).unwrap();
    b.set_to_write_vbr_tag(false).unwrap();
    let mut e = b.build().unwrap();
    let mut o: Vec<u8> = Vec::new();
    // Sentence-sized chunks, as anpham feeds them (the bytes do not depend on chunking).
    for c in s.chunks(100_000) {
        o.reserve(mp3lame_encoder::max_required_buffer_size(c.len()));
        e.encode_to_vec(MonoPcm(c), &mut o).unwrap();
    }
    o.reserve(8192);
    e.flush_to_vec::<FlushGap>(&mut o).unwrap();
    let cpu = (cpu_ns() - t0) as f64 / 1e9;
    let wall = w0.elapsed().as_secs_f64();
    std::fs::write(out, &o).unwrap();
    let secs = s.len() as f64 / 22050.0;
    println!(
        "q={q} audio_s={secs:.1} cpu_s={cpu:.3} wall_s={wall:.3} x_realtime_per_cpu_s={:.0} bytes={}",
        secs / cpu,
        o.len()
    );
}

fn fft(re: &mut [f64], im: &mut [f64]) {
    let n = re.len();
    let mut j = 0;
    for i in 1..n {
        let mut bit = n >> 1;
        while j & bit != 0 {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
        if i < j {
            re.swap(i, j);
            im.swap(i, j);
        }
    }
    let mut len = 2;
    while len <= n {
        let ang = -2.0 * std::f64::consts::PI / len as f64;
        for i in (0..n).step_by(len) {
            for k in 0..len / 2 {
                let (wr, wi) = ((ang * k as f64).cos(), (ang * k as f64).sin());
                let (ar, ai) = (re[i + k + len / 2], im[i + k + len / 2]);
                let (tr, ti) = (ar * wr - ai * wi, ar * wi + ai * wr);
                re[i + k + len / 2] = re[i + k] - tr;
                im[i + k + len / 2] = im[i + k] - ti;
                re[i + k] += tr;
                im[i + k] += ti;
            }
        }
        len <<= 1;
    }
}

fn power(x: &[f64], win: &[f64]) -> Vec<f64> {
    let mut re: Vec<f64> = x.iter().zip(win).map(|(a, w)| a * w).collect();
    let mut im = vec![0.0; re.len()];
    fft(&mut re, &mut im);
    (0..=re.len() / 2)
        .map(|k| re[k] * re[k] + im[k] * im[k])
        .collect()
}

fn compare(rp: &str, dp: &str) {
    let r = read_raw(rp);
    let d = read_raw(dp);
    // Best lag in 1105 +- 64 by correlation over the first 10 minutes.
    let m = r.len().min(22050 * 600);
    let mut best = (0i64, f64::MIN);
    for lag in 1041..=1169i64 {
        let l = lag as usize;
        if d.len() < l + m {
            continue;
        }
        let c: f64 = (0..m).map(|i| r[i] * d[i + l]).sum();
        if c > best.1 {
            best = (lag, c);
        }
    }
    let lag = best.0 as usize;
    let n = r.len().min(d.len().saturating_sub(lag));
    let d = &d[lag..lag + n];
    let r = &r[..n];
    let (mut es, mut en) = (0.0, 0.0);
    for i in 0..n {
        es += r[i] * r[i];
        en += (r[i] - d[i]).powi(2);
    }
    let snr = 10.0 * (es / en).log10();
    // Segmental SNR: 20 ms frames whose reference level is above -50 dBFS, each clamped to [-10, 35] dB.
    let f = 441;
    let (mut seg, mut nseg) = (0.0, 0);
    for k in 0..n / f {
        let a = &r[k * f..(k + 1) * f];
        let b = &d[k * f..(k + 1) * f];
        let s: f64 = a.iter().map(|v| v * v).sum();
        if (s / f as f64).sqrt() < 10f64.powf(-50.0 / 20.0) {
            continue;
        }
        let e: f64 = a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum();
        seg += (10.0 * (s / e.max(1e-20)).log10()).clamp(-10.0, 35.0);
        nseg += 1;
    }
    // Log-spectral distance: 512-sample Hann frames, hop 256, frames above -50 dBFS, power floor -100 dB.
    let nf = 512;
    let win: Vec<f64> = (0..nf)
        .map(|i| 0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / nf as f64).cos())
        .collect();
    let floor = 1e-10 * (nf as f64);
    let bands = [(4000.0, "0-4k"), (8000.0, "0-8k"), (11025.0, "0-11k")];
    let mut lsd = [0.0f64; 3];
    let mut nl = 0;
    let mut i = 0;
    while i + nf <= n {
        let a = &r[i..i + nf];
        let s: f64 = a.iter().map(|v| v * v).sum();
        if (s / nf as f64).sqrt() >= 10f64.powf(-50.0 / 20.0) {
            let pa = power(a, &win);
            let pb = power(&d[i..i + nf], &win);
            for (bi, (hz, _)) in bands.iter().enumerate() {
                let kmax = ((hz / 22050.0) * nf as f64) as usize;
                let mut acc = 0.0;
                for k in 1..=kmax.min(nf / 2) {
                    let x = 10.0 * ((pa[k] + floor) / (pb[k] + floor)).log10();
                    acc += x * x;
                }
                lsd[bi] += (acc / kmax as f64).sqrt();
            }
            nl += 1;
        }
        i += 256;
    }
    print!(
        "lag={lag} samples={n} snr_db={snr:.2} segsnr_db={:.2}",
        seg / nseg as f64
    );
    for (bi, (_, name)) in bands.iter().enumerate() {
        print!(" lsd_{name}_db={:.2}", lsd[bi] / nl as f64);
    }
    println!();
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    match a[1].as_str() {
        "encode" => encode(a[2].parse().unwrap(), &a[3], &a[4]),
        "compare" => compare(&a[2], &a[3]),
        _ => panic!("usage"),
    }
}
