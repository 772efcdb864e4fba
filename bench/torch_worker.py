"""PyTorch side of `dotnet run -c Release --project bench -- compare`.

Reads one JSON request per line on stdin and answers one JSON line on stdout:
  {"cmd": "setup", "id": ..., "op": ..., "input": [...], "weight": [...], "stride": [h, w], "padding": [h, w],
   "output_padding": [h, w], "pads": [...], "mode": "reflect", "window": [h, w]}   -> {"ok": true}
  {"cmd": "threads", "n": N}                                       -> {"ok": true, "threads": N}
  {"cmd": "time", "id": ..., "iters": N}                           -> {"seconds": total}
  {"cmd": "quit"}
The first line it writes says whether PyTorch imported.
"""
import json
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except Exception as e:  # the C# side turns this into a clear message
    print(json.dumps({"ready": False, "error": f"{type(e).__name__}: {e}"}), flush=True)
    sys.exit(0)

torch.manual_seed(0)
calls = {}


def build(r):
    x = torch.randn(*r["input"])
    if r["op"] == "Pad":
        pads, mode = tuple(r["pads"]), r["mode"]
        return lambda: F.pad(x, pads, mode=mode)
    sh, sw = r["stride"]
    ph, pw = r["padding"]
    if r["op"] in ("MaxPool2d", "AvgPool2d"):
        pool = F.max_pool2d if r["op"] == "MaxPool2d" else F.avg_pool2d
        window = tuple(r["window"])
        return lambda: pool(x, window, (sh, sw), (ph, pw))
    w = torch.randn(*r["weight"])
    if r["op"] == "Conv2d":
        return lambda: F.conv2d(x, w, None, (sh, sw), (ph, pw))
    if r["op"] == "Conv1d":
        return lambda: F.conv1d(x, w, None, sw, pw)
    oh, ow = r["output_padding"]
    return lambda: F.conv_transpose2d(x, w, None, (sh, sw), (ph, pw), (oh, ow))


print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
with torch.no_grad():
    for line in sys.stdin:
        r = json.loads(line)
        cmd = r["cmd"]
        if cmd == "quit":
            break
        if cmd == "setup":
            calls[r["id"]] = build(r)
            calls[r["id"]]()
            answer = {"ok": True}
        elif cmd == "threads":
            torch.set_num_threads(r["n"])
            answer = {"ok": True, "threads": torch.get_num_threads()}
        elif cmd == "time":
            f, n = calls[r["id"]], r["iters"]
            start = time.perf_counter()
            for _ in range(n):
                f()
            answer = {"seconds": time.perf_counter() - start}
        else:
            answer = {"error": f"unknown command {cmd}"}
        print(json.dumps(answer), flush=True)
