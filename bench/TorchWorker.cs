using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conv.Notebook.Bench;

/// <summary>
/// PyTorch in a subprocess (<c>torch_worker.py</c>), started once and driven over stdin/stdout, so that its calls
/// are timed by Python's own clock in the same run as the helper's, one batch after the other.
/// </summary>
public sealed class TorchWorker : IDisposable
{
    private readonly Process _process;

    public string Version { get; }

    private TorchWorker(Process process, string version)
    {
        _process = process;
        Version = version;
    }

    /// <summary>Starts the worker, or returns null and says why in <paramref name="problem"/>.</summary>
    public static TorchWorker? TryStart(string python, out string problem)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "torch_worker.py");
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        // glibc serves blocks above 128 KB with fresh mmap pages by default, and how soon it stops doing so depends
        // on what was freed before: PyTorch's times then swing several-fold with page faults. Serving them from the
        // heap, and not trimming it, matches what the helper's side gets from its GC setting (see Bench.csproj).
        info.Environment["MALLOC_MMAP_THRESHOLD_"] = "67108864";
        info.Environment["MALLOC_TRIM_THRESHOLD_"] = "268435456";
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e)
        {
            problem = $"{python} could not be started ({e.Message}).";
            return null;
        }
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        string? first = process.StandardOutput.ReadLine();
        JsonNode? hello = first is null ? null : JsonNode.Parse(first);
        if (hello?["ready"]?.GetValue<bool>() != true)
        {
            problem = $"{python} could not import torch ({hello?["error"]?.GetValue<string>() ?? "the worker exited"}).";
            process.Kill();
            process.Dispose();
            return null;
        }
        problem = "";
        return new TorchWorker(process, hello["torch"]!.GetValue<string>());
    }

    /// <summary>
    /// Sets up a shape's call on the operands in <paramref name="folder"/> (<c>ID.input.bin</c>, <c>ID.weight.bin</c>:
    /// raw float32, as <see cref="WriteOperand"/> writes them), writes PyTorch's output to <c>ID.torch.bin</c> and the
    /// call as an ONNX model; returns the model's path, or null and why the export failed.
    /// </summary>
    public (string? Model, string? Problem) Setup(string id, Shape shape, string folder)
    {
        JsonNode answer = Ask(new JsonObject
        {
            ["cmd"] = "setup",
            ["id"] = id,
            ["op"] = shape.Op.ToString(),
            ["input"] = Ints(shape.Input),
            ["weight"] = Ints(shape.Weight),
            ["stride"] = Ints([shape.Stride.H, shape.Stride.W]),
            ["padding"] = Ints([shape.Padding.H, shape.Padding.W]),
            ["output_padding"] = Ints([shape.OutputPadding.H, shape.OutputPadding.W]),
            ["pads"] = Ints(shape.Pads ?? []),
            ["mode"] = shape.Mode.ToString().ToLowerInvariant(),
            ["window"] = Ints([shape.Window.H, shape.Window.W]),
            ["dir"] = folder,
        });
        return (answer["onnx"]?.GetValue<string>(), answer["onnx_error"]?.GetValue<string>());
    }

    /// <summary>Writes an operand for the worker: raw little-endian float32, as numpy's <c>fromfile</c> reads it.</summary>
    public static void WriteOperand(string path, float[] values) =>
        File.WriteAllBytes(path, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>Reads an output the worker wrote with <see cref="WriteOperand"/>'s layout.</summary>
    public static float[] ReadOutput(string path) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    public int SetThreads(int threads) => Ask(new JsonObject { ["cmd"] = "threads", ["n"] = threads })["threads"]!.GetValue<int>();

    /// <summary>Seconds that <paramref name="iterations"/> calls of a set-up shape take in PyTorch.</summary>
    public double Time(string id, int iterations) =>
        Ask(new JsonObject { ["cmd"] = "time", ["id"] = id, ["iters"] = iterations })["seconds"]!.GetValue<double>();

    private JsonNode Ask(JsonObject request)
    {
        _process.StandardInput.WriteLine(request.ToJsonString());
        _process.StandardInput.Flush();
        string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The PyTorch worker exited.");
        JsonNode answer = JsonNode.Parse(line)!;
        if (answer["error"] is JsonNode error) throw new InvalidOperationException($"PyTorch worker: {error}");
        return answer;
    }

    private static JsonArray Ints(int[] values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine(JsonSerializer.Serialize(new { cmd = "quit" }));
            _process.StandardInput.Flush();
            if (!_process.WaitForExit(5000)) _process.Kill();
        }
        catch (IOException)
        {
        }
        _process.Dispose();
    }
}
