using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace Conv.Notebook.Bench;

/// <summary>
/// <c>compare</c>: times the helper, PyTorch and ONNX Runtime on the named shapes in one run, batch after batch in
/// alternation, at one thread and at all cores, and prints one Markdown table with the share of this machine's measured
/// peak. All three compute on the same operands, and their outputs are checked against each other before any timing.
/// </summary>
public static class Compare
{
    private const string Usage = """
        dotnet run -c Release --project bench -- compare [options]
          --python PATH   the Python with torch (default /usr/bin/python3)
          --rounds N      alternating batches per side and shape (default 7); the fastest is shown
          --ms N          target milliseconds per batch (default 40)
          --shape TEXT    only shapes whose name contains TEXT
          --threads LIST  thread counts, e.g. 1,2 (default: 1 and all cores)
        """;

    private sealed record Row(
        Shape Shape, int Threads, double Helper, double HelperPause, double? Torch, double? Ort, double? Copy);

    /// <summary>One shape with its operands, the helper's output, and PyTorch's ONNX export of the same call.</summary>
    private sealed record Prepared(
        Shape Shape, string Id, Tensor Input, Tensor? Weight, float[] Source, float[] Expected, string? Model);

    /// <summary>Two outputs of the same call that differ by more than float rounding: the comparison stops.</summary>
    private sealed class MismatchException(string message) : Exception(message);

    // Outputs agree when every element is within this much of the helper's, relative to 1 + the element's size. The
    // three libraries add the products in different orders, which moved the elements here by up to 4e-5 of that (the
    // error stream shows the largest deviation per shape); a wrong tap or a shifted window moves an element by about
    // one product of two standard normal numbers, near 1.
    private const double Tolerance = 1e-4;

    public static int Run(string[] args)
    {
        string python = "/usr/bin/python3";
        int rounds = 7;
        double batchMs = 40;
        string? filter = null;
        int[] threadCounts = Options.DefaultThreads;
        bool parsed = Options.Parse(args, new Dictionary<string, Action<string>>
        {
            ["--python"] = v => python = v,
            ["--rounds"] = v => rounds = Options.Count(v),
            ["--ms"] = v => batchMs = Options.Milliseconds(v),
            ["--shape"] = v => filter = v,
            ["--threads"] = v => threadCounts = Options.Threads(v),
        }, Usage);
        if (!parsed) return 2;

        // PyTorch reads the operands from here and writes its outputs and the ONNX models here; all of it is deleted
        // at the end.
        string folder = Directory.CreateTempSubdirectory("conv-notebook-compare-").FullName;
        try
        {
            return Measure(python, rounds, batchMs, filter, threadCounts, folder);
        }
        catch (MismatchException e)
        {
            Console.Error.WriteLine($"The outputs disagree, so nothing was timed: {e.Message}");
            return 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Measure(string python, int rounds, double batchMs, string? filter, int[] threadCounts, string folder)
    {
        string loadBefore = Load();
        Console.Error.WriteLine("Measuring the peak FMA rate…");
        (double peakOne, double peakAll) = PeakFlops.Measure(Environment.ProcessorCount);

        var notes = new List<string>();
        string? ortVersion = null;
        try
        {
            ortVersion = OnnxRuntimeCall.Version;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or OnnxRuntimeException)
        {
            notes.Add($"ONNX Runtime is not available ({e.Message}).");
        }
        using TorchWorker? torch = TorchWorker.TryStart(python, out string problem);
        if (torch is null)
        {
            notes.Add($"PyTorch is not available: {problem} Install it with `apt-get install -y python3-torch` or pass " +
                "--python. ONNX Runtime's models come from PyTorch's export, so the table shows the helper alone.");
        }
        foreach (string note in notes) Console.Error.WriteLine(note);

        Shape[] shapes = Shape.All.Where(s => filter is null || s.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToArray();
        var prepared = shapes.Select((s, i) =>
        {
            string id = $"s{i}";
            (Tensor input, Tensor? weight) = s.Tensors();
            float[] expected = s.Run(input, weight).ToArray();
            string? model = null;
            if (torch is not null)
            {
                Console.Error.WriteLine($"  {s.Name}: PyTorch's output and ONNX export");
                TorchWorker.WriteOperand(Path.Combine(folder, $"{id}.input.bin"), input.ToArray());
                if (weight is not null) TorchWorker.WriteOperand(Path.Combine(folder, $"{id}.weight.bin"), weight.ToArray());
                (model, string? exportProblem) = torch.Setup(id, s, folder);
                Check(s, "PyTorch", expected, TorchWorker.ReadOutput(Path.Combine(folder, $"{id}.torch.bin")));
                if (exportProblem is not null && ortVersion is not null)
                {
                    notes.Add($"ONNX Runtime skipped {s.Name}: PyTorch could not export it ({exportProblem}).");
                }
            }
            return new Prepared(s, id, input, weight, input.ToArray(), expected, ortVersion is null ? null : model);
        }).ToArray();

        // Every shape runs for a while before anything is timed, twice with a pause between, so that the JIT's tiers
        // (instrumented, then optimised, compiled in the background) are done with every method the calls use.
        Console.Error.WriteLine("Warming up…");
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (Prepared p in prepared)
            {
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed.TotalSeconds < 0.15) GC.KeepAlive(p.Shape.Run(p.Input, p.Weight));
            }
            Thread.Sleep(500);
        }

        var rows = new List<Row>();
        int saved = Convolution.MaxDegreeOfParallelism;
        var sessions = new List<OnnxRuntimeCall>();
        try
        {
            foreach (int threads in threadCounts)
            {
                Convolution.MaxDegreeOfParallelism = threads;
                torch?.SetThreads(threads);
                var series = prepared.Select(p =>
                {
                    Console.Error.WriteLine($"  {p.Shape.Name}, {threads} thread(s): calibrating");
                    Func<int, double> helper = n => TimeHelper(() => p.Shape.Run(p.Input, p.Weight), n);
                    Func<int, double>? other = torch is null ? null : n => torch.Time(p.Id, n);
                    Func<int, double>? ort = null;
                    if (p.Model is not null)
                    {
                        // A session per thread count, as ONNX Runtime fixes a session's threads when it creates it; its
                        // own input array, so that each side starts a batch with its own data in the caches.
                        var call = new OnnxRuntimeCall(p.Model, p.Input.ToArray(), p.Shape.Input, threads);
                        sessions.Add(call);
                        call.Run();
                        Check(p.Shape, $"ONNX Runtime ({threads} thread(s))", p.Expected, call.Output);
                        ort = call.Time;
                    }
                    int outputLength = p.Shape.Op == Op.Pad ? p.Expected.Length : 0;
                    Func<int, double>? copy = p.Shape.Op == Op.Pad ? n => TimeHelper(() => PlainCopy.Run(p.Source, outputLength), n) : null;
                    return (p.Shape, Batches: new Alternation(helper, other, ort, copy, batchMs));
                }).ToArray();
                // Round after round over all shapes, so that each shape's batches spread over the whole pass: on this
                // virtual machine a slow stretch of a few seconds could otherwise hold every batch of one shape.
                for (int r = 0; r < rounds; r++)
                {
                    Console.Error.WriteLine($"  round {r + 1} of {rounds}, {threads} thread(s)");
                    foreach (var (_, batches) in series) batches.Round();
                }
                foreach (var (shape, batches) in series)
                {
                    (double h, double pause, double? t, double? o, double? c) = batches.Fastest();
                    rows.Add(new Row(shape, threads, h, pause, t, o, c));
                }
                foreach (OnnxRuntimeCall call in sessions) call.Dispose();
                sessions.Clear();
            }
        }
        finally
        {
            Convolution.MaxDegreeOfParallelism = saved;
            foreach (OnnxRuntimeCall call in sessions) call.Dispose();
        }

        // Measured again at the end, keeping the better figure: another process on the machine lowers the peak it sees.
        (double peakOneAfter, double peakAllAfter) = PeakFlops.Measure(Environment.ProcessorCount);
        peakOne = Math.Max(peakOne, peakOneAfter);
        peakAll = Math.Max(peakAll, peakAllAfter);
        Console.WriteLine(Render(rows, notes, peakOne, peakAll, torch?.Version, ortVersion, loadBefore, Load()));
        return 0;
    }

    /// <summary>
    /// Stops the comparison unless <paramref name="actual"/> is the helper's output within float rounding; the largest
    /// deviation goes to the error stream.
    /// </summary>
    private static void Check(Shape shape, string side, float[] expected, float[] actual)
    {
        double largest = 0;
        if (actual.Length != expected.Length)
        {
            throw new MismatchException($"{side} gave {actual.Length} elements for {shape.Name}, the helper {expected.Length}.");
        }
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(actual[i] - expected[i]) <= Tolerance * (1 + Math.Abs(expected[i]))))
            {
                throw new MismatchException($"{side} gave {actual[i]} at element {i} of {shape.Name}, the helper " +
                    $"{expected[i]} (tolerance {Tolerance} × (1 + |helper's|)).");
            }
            largest = Math.Max(largest, Math.Abs(actual[i] - expected[i]) / (1 + Math.Abs(expected[i])));
        }
        Console.Error.WriteLine($"    {side} agrees with the helper on {shape.Name}: largest deviation {largest:G2} × (1 + |helper's|)");
    }

    /// <summary>
    /// One shape's timings at one thread count: batches sized to about <c>batchMs</c>, helper, PyTorch and ONNX Runtime
    /// (and for padding a plain copy) in alternation, and per side the fastest batch, with the garbage collector's
    /// pauses within the helper's. Other work on the machine only ever adds time to a batch, and on the virtual machine
    /// this was written on it added up to 60 % to whole stretches of batches, of either side; a median then compared one
    /// side's slow stretch with the other's fast one.
    /// </summary>
    private sealed class Alternation
    {
        private readonly Func<int, double> _helper;
        private readonly Func<int, double>? _torch, _ort, _copy;
        private readonly int _nh, _nt, _no, _nc;
        private readonly List<double> _hs = [], _pauses = [], _ts = [], _os = [], _cs = [];

        public Alternation(
            Func<int, double> helper, Func<int, double>? torch, Func<int, double>? ort, Func<int, double>? copy, double batchMs)
        {
            (_helper, _torch, _ort, _copy) = (helper, torch, ort, copy);
            _nh = Calibrate(helper, batchMs);
            _nt = torch is null ? 0 : Calibrate(torch, batchMs);
            _no = ort is null ? 0 : Calibrate(ort, batchMs);
            _nc = copy is null ? 0 : Calibrate(copy, batchMs);
        }

        /// <summary>
        /// One batch of each side. Each timed batch follows an untimed tenth of one, so that every side starts with its
        /// own data in the caches rather than another side's.
        /// </summary>
        public void Round()
        {
            // The plain copy goes first every other round. The first large allocations after other shapes' batches can
            // be slow (the collector may have handed the memory back to the system, and this virtual machine takes a
            // long time to fault it in again), and whichever side always came first paid for that alone.
            bool copyFirst = _copy is not null && _hs.Count % 2 == 1;
            if (copyFirst) TimeCopy();
            _helper(Math.Max(1, _nh / 10));
            TimeSpan pausedBefore = GC.GetTotalPauseDuration();
            _hs.Add(_helper(_nh) / _nh);
            _pauses.Add((GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds / _nh);
            if (_torch is not null) TimeOther(_torch, _nt, _ts);
            if (_ort is not null) TimeOther(_ort, _no, _os);
            if (_copy is not null && !copyFirst) TimeCopy();
        }

        private static void TimeOther(Func<int, double> time, int n, List<double> times)
        {
            Settle();
            time(Math.Max(1, n / 10));
            times.Add(time(n) / n);
            Settle();
        }

        private void TimeCopy()
        {
            _copy!(Math.Max(1, _nc / 10));
            _cs.Add(_copy(_nc) / _nc);
        }

        public (double Helper, double HelperPause, double? Torch, double? Ort, double? Copy) Fastest()
        {
            int fastest = _hs.IndexOf(_hs.Min());
            return (_hs[fastest], _pauses[fastest], _torch is null ? null : _ts.Min(), _ort is null ? null : _os.Min(),
                _copy is null ? null : _cs.Min());
        }
    }

    /// <summary>
    /// A pause between two sides: PyTorch's OpenMP threads keep spinning for a while after a parallel region (libgomp's
    /// default of 300,000 pause loops is several milliseconds here), ONNX Runtime's intra-op threads spin before they
    /// block too, and the helper's workers for a millisecond; any of them would otherwise take a core from the side timed
    /// next. With 20 ms, the helper's two-thread stride-1 layer, timed right after ONNX Runtime, took 1.27 ms a call,
    /// against 1.12 ms with 300 ms or without the other sides.
    /// </summary>
    private static void Settle() => Thread.Sleep(250);

    private static int Calibrate(Func<int, double> time, double batchMs)
    {
        // A quarter second of calls first, so that the JIT has tiered the helper up and PyTorch has its caches warm.
        int n = 1;
        for (double spent = 0; spent < 0.25; n = Math.Min(n * 2, 1 << 20)) spent += time(n);
        n = 1;
        while (true)
        {
            double seconds = time(n);
            if (seconds * 1e3 >= batchMs / 4 || n >= 1 << 24)
            {
                return Math.Max(1, (int)Math.Min(1 << 24, n * batchMs / 1e3 / Math.Max(seconds, 1e-9)));
            }
            n *= 4;
        }
    }

    private static double TimeHelper(Func<object> call, int iterations)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) GC.KeepAlive(call());
        return clock.Elapsed.TotalSeconds;
    }

    private static string Render(
        List<Row> rows, List<string> notes, double peakOne, double peakAll, string? torchVersion, string? ortVersion,
        string loadBefore, string loadAfter)
    {
        var s = new StringBuilder();
        s.AppendLine($"- Machine: {CpuName()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}; " +
            $"{RuntimeInformation.FrameworkDescription}, Vector512 {(Vector512.IsHardwareAccelerated ? "accelerated" : "not accelerated")}; " +
            $"PyTorch {torchVersion ?? "not available"}; ONNX Runtime {ortVersion ?? "not available"}.");
        string[] settings = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase) || k.StartsWith("COMPlus_GC", StringComparison.OrdinalIgnoreCase))
            .Order().ToArray();
        s.AppendLine($"- Memory: .NET {(settings.Length == 0 ? "with the collector's defaults" : "with " + string.Join(", ", settings))} " +
            "(the helper reuses its large results' memory itself); PyTorch with MALLOC_MMAP_THRESHOLD_=64 MB, MALLOC_TRIM_THRESHOLD_=256 MB, " +
            "so that glibc hands a freed output's block to the next call; ONNX Runtime writes into an output array allocated once.");
        if (rows.Any(r => r.Ort is not null))
        {
            s.AppendLine($"- ONNX Runtime (Microsoft.ML.OnnxRuntime, CPU, in this process) runs PyTorch's `torch.onnx.export` of each call " +
                $"(opset 17, the weight a constant initializer), one session per shape and thread count: {OnnxRuntimeCall.Settings}. " +
                "Input and output are bound once (OrtIoBinding, tensors over pinned arrays) and each call is `RunWithBinding`.");
        }
        s.AppendLine($"- Peak float32 FMA rate, measured: {peakOne:F0} GFLOP/s on one thread, {peakAll:F0} GFLOP/s on all cores. " +
            $"Load average before/after: {loadBefore} / {loadAfter}.");
        s.AppendLine();
        s.AppendLine("| shape | threads | helper | of which GC pauses | PyTorch | PyTorch time ÷ helper time | ONNX Runtime | " +
            "ONNX Runtime time ÷ helper time | helper GFLOP/s | PyTorch GFLOP/s | ONNX Runtime GFLOP/s | helper % of peak | " +
            "PyTorch % of peak | ONNX Runtime % of peak |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (Row r in rows)
        {
            double peak = r.Threads == 1 ? peakOne : peakAll * Math.Min(r.Threads, Environment.ProcessorCount) / Environment.ProcessorCount;
            string times = $"| {r.Shape.Name} | {r.Threads} | {Duration(r.Helper)} | {Duration(r.HelperPause)} | " +
                $"{Duration(r.Torch)} | {Ratio(r.Torch, r.Helper)} | {Duration(r.Ort)} | {Ratio(r.Ort, r.Helper)} | ";
            if (r.Shape.MovesBytes)
            {
                double bytes = r.Shape.MovedBytes;
                string Rate(double? seconds) => seconds is double t ? $"{bytes / t / 1e9:F1} GB/s" : "–";
                s.AppendLine(times + $"{Rate(r.Helper)} | {Rate(r.Torch)} | {Rate(r.Ort)} | " +
                    $"{(r.Copy is double copy ? $"{copy / r.Helper * 100:F0}% of a plain copy ({Duration(copy)})" : "–")} | – | – |");
                continue;
            }
            double flops = 2.0 * r.Shape.MultiplyAccumulates;
            string Flops(double? seconds) => seconds is double t ? $"{flops / t / 1e9:F1}" : "–";
            string Share(double? seconds) => seconds is double t ? $"{flops / t / 1e9 / peak * 100:F1}%" : "–";
            s.AppendLine(times + $"{Flops(r.Helper)} | {Flops(r.Torch)} | {Flops(r.Ort)} | " +
                $"{Share(r.Helper)} | {Share(r.Torch)} | {Share(r.Ort)} |");
        }
        foreach (int threads in rows.Select(r => r.Threads).Distinct())
        {
            Row? Layer(int stride) => rows.FirstOrDefault(r => r.Threads == threads &&
                r.Shape.Name.StartsWith(StrideLayer, StringComparison.Ordinal) && r.Shape.Stride == (stride, stride));
            Row? s1 = Layer(1);
            if (s1 is null) continue;
            var parts = new List<string>();
            foreach (Row? other in new[] { Layer(2), Layer(4) })
            {
                if (other is null) continue;
                int k = other.Shape.Stride.H;
                string part = $"stride 1 ÷ stride {k}: helper {s1.Helper / other.Helper:F2}";
                if (s1.Torch is double a && other.Torch is double b) part += $", PyTorch {a / b:F2}";
                if (s1.Ort is double c && other.Ort is double d) part += $", ONNX Runtime {c / d:F2}";
                parts.Add(part + $" (multiply-accumulates: {s1.Shape.MultiplyAccumulates / (double)other.Shape.MultiplyAccumulates:G3})");
            }
            if (parts.Count == 0) continue;
            s.AppendLine();
            s.AppendLine($"Stride ratios of the {StrideLayer}, {threads} thread(s): time at {string.Join("; ", parts)}.");
        }
        foreach (string note in notes)
        {
            s.AppendLine();
            s.AppendLine(note);
        }
        return s.ToString();
    }

    /// <summary>The layer whose strides the lines under the table compare.</summary>
    private const string StrideLayer = "layer 64→64 3×3 56²";

    private static string Ratio(double? other, double helper) => other is double t ? $"{t / helper:F2}×" : "–";

    private static string Duration(double? seconds) => seconds switch
    {
        null => "–",
        0 => "0",
        < 1e-3 => $"{seconds * 1e6:G3} µs",
        < 1 => $"{seconds * 1e3:G3} ms",
        _ => $"{seconds:G3} s",
    };

    private static string CpuName()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static string Load()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
