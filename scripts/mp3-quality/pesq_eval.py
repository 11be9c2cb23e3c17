#!/usr/bin/env python3
"""pesq_eval.py REF.raw DEC.raw [LAG]: wide-band PESQ (ITU-T P.862.2, `pesq` package) of the
decoded MP3 against the encoder's input, both 22,050 Hz s16 mono, resampled to 16 kHz with sox;
over 8-second pieces taken every 30 s; prints the mean, min and the per-piece list length."""
import subprocess, sys, numpy as np
from pesq import pesq

def to16k(x):
    p = subprocess.run(["sox", "-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1", "-", "-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1", "-"], input=x.astype("<i2").tobytes(), capture_output=True, check=True).stdout
    return np.frombuffer(p, dtype="<i2").astype(np.float32) / 32768.0

ref = np.fromfile(sys.argv[1], dtype="<i2")
dec = np.fromfile(sys.argv[2], dtype="<i2")
lag = int(sys.argv[3]) if len(sys.argv) > 3 else 1105
dec = dec[lag:lag + len(ref)]
n = min(len(ref), len(dec))
piece, step = 8 * 22050, 30 * 22050
scores = []
for a in range(0, n - piece, step):
    r, d = ref[a:a + piece], dec[a:a + piece]
    if np.sqrt(np.mean((r / 32768.0) ** 2)) < 0.003:
        continue
    scores.append(pesq(16000, to16k(r), to16k(d), "wb"))
s = np.array(scores)
print(f"{sys.argv[2]}: PESQ-WB mean {s.mean():.3f} min {s.min():.3f} max {s.max():.3f} pieces {len(s)}")
