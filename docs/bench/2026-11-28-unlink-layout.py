"""Session 7: does the way a 60 MB file was written change what freeing it costs on this
disk? One `write`, 256 KiB writes, or `posix_fallocate` first; each synced, a second's
pause, then `unlink`, timed with the process's system time. On the benchmark VM (ext4
mounted with `discard`): 44-53 ms of wall time whatever the layout, 6 ms of it system
time: the rest is waiting in ext4_free_blocks -> blkdev_issue_discard -> submit_bio_wait
(`perf record -e sched:sched_switch -g`), a synchronous discard of the freed blocks.

Usage: python3 2026-11-28-unlink-layout.py DIR   (DIR on the disk to measure)
"""
import os, sys, time, resource
d = sys.argv[1]; os.makedirs(d, exist_ok=True)
data = os.urandom(60 << 20)
def write(path, mode):
    fd=os.open(path, os.O_CREAT|os.O_WRONLY|os.O_TRUNC, 0o644)
    if mode=='falloc': os.posix_fallocate(fd,0,len(data))
    if mode=='chunks':
        for i in range(0,len(data),256<<10): os.write(fd,data[i:i+(256<<10)])
    else: os.write(fd,data)
    os.fsync(fd); os.close(fd)
for mode in ('one','chunks','falloc')*2:
    path=os.path.join(d,'old'); write(path,mode); time.sleep(1.0)
    r0=resource.getrusage(resource.RUSAGE_SELF); t=time.perf_counter()
    os.unlink(path)
    w=time.perf_counter()-t; r1=resource.getrusage(resource.RUSAGE_SELF)
    print(f'{mode}: unlink wall {1000*w:.1f} ms  sys {1000*(r1.ru_stime-r0.ru_stime):.1f} ms')
