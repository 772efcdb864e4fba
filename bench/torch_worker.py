"""PyTorch side of `dotnet run -c Release --project bench -- compare`.

Reads one JSON request per line on stdin and answers one JSON line on stdout:
  {"cmd": "setup", "id": ..., "op": ..., "input": [...], "weight": [...], "stride": [h, w], "padding": [h, w],
   "output_padding": [h, w], "pads": [...], "mode": "reflect", "window": [h, w], "dir": FOLDER}
      -> {"ok": true, "onnx": PATH or null, "onnx_error": TEXT or null}
     reads the operands the helper uses from FOLDER/ID.input.bin and FOLDER/ID.weight.bin (raw little-endian float32),
     writes PyTorch's output to FOLDER/ID.torch.bin and the same call, with the same weight, as an ONNX model to
     FOLDER/ID.onnx (torch.onnx.export, which needs no onnx package)
  {"cmd": "threads", "n": N}                                       -> {"ok": true, "threads": N}
  {"cmd": "time", "id": ..., "iters": N}                           -> {"seconds": total}
  {"cmd": "quit"}
The first line it writes says whether PyTorch imported.
"""
import json
import os
import sys
import time
import warnings

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except Exception as e:  # the C# side turns this into a clear message
    print(json.dumps({"ready": False, "error": f"{type(e).__name__}: {e}"}), flush=True)
    sys.exit(0)

calls = {}


def operand(folder, name, shape):
    return torch.from_numpy(np.fromfile(os.path.join(folder, name), dtype="<f4").reshape(shape))


def build(r):
    """The call as a function of the input and the weight (None for padding and pooling)."""
    if r["op"] == "Pad":
        pads, mode = tuple(r["pads"]), r["mode"]
        return lambda x, w: F.pad(x, pads, mode=mode)
    sh, sw = r["stride"]
    ph, pw = r["padding"]
    if r["op"] in ("MaxPool2d", "AvgPool2d"):
        pool = F.max_pool2d if r["op"] == "MaxPool2d" else F.avg_pool2d
        window = tuple(r["window"])
        return lambda x, w: pool(x, window, (sh, sw), (ph, pw))
    if r["op"] == "Conv2d":
        return lambda x, w: F.conv2d(x, w, None, (sh, sw), (ph, pw))
    if r["op"] == "Conv1d":
        return lambda x, w: F.conv1d(x, w, None, sw, pw)
    oh, ow = r["output_padding"]
    return lambda x, w: F.conv_transpose2d(x, w, None, (sh, sw), (ph, pw), (oh, ow))


class Call(torch.nn.Module):
    """The call with its weight as a parameter, so that the export stores it as a constant initializer, as a model
    file holds a trained layer's weights."""

    def __init__(self, f, w):
        super().__init__()
        self.f = f
        self.w = None if w is None else torch.nn.Parameter(w, requires_grad=False)

    def forward(self, x):
        return self.f(x, self.w)


def setup(r):
    folder, id = r["dir"], r["id"]
    x = operand(folder, f"{id}.input.bin", r["input"])
    w = operand(folder, f"{id}.weight.bin", r["weight"]) if r["weight"] else None
    f = build(r)
    calls[id] = lambda: f(x, w)
    calls[id]().contiguous().numpy().astype("<f4").tofile(os.path.join(folder, f"{id}.torch.bin"))
    path = os.path.join(folder, f"{id}.onnx")
    try:
        with warnings.catch_warnings():
            # The export of reflect padding warns that it cannot fold a slice of the pads; ONNX Runtime folds it.
            warnings.simplefilter("ignore")
            torch.onnx.export(Call(f, w), (x,), path, input_names=["input"], output_names=["output"],
                              opset_version=17)
        return {"ok": True, "onnx": path, "onnx_error": None}
    except Exception as e:
        return {"ok": True, "onnx": None, "onnx_error": f"{type(e).__name__}: {e}"}


print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
with torch.no_grad():
    for line in sys.stdin:
        r = json.loads(line)
        cmd = r["cmd"]
        if cmd == "quit":
            break
        if cmd == "setup":
            answer = setup(r)
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
