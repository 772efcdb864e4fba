using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Conv.Notebook.Bench;

/// <summary>
/// <c>compare</c>: times the helper and PyTorch on the named shapes in one run, batch after batch in alternation,
/// at one thread and at all cores, and prints one Markdown table with the share of this machine's measured peak.
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

    private sealed record Row(Shape Shape, int Threads, double Helper, double HelperPause, double? Torch, double? Copy);

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

        string loadBefore = Load();
        Console.Error.WriteLine("Measuring the peak FMA rate…");
        (double peakOne, double peakAll) = PeakFlops.Measure(Environment.ProcessorCount);

        using TorchWorker? torch = TorchWorker.TryStart(python, out string problem);
        if (torch is null)
        {
            Console.Error.WriteLine($"PyTorch is not available: {problem} Install it with `apt-get install -y python3-torch` " +
                "or pass --python. The table shows the helper alone.");
        }

        Shape[] shapes = Shape.All.Where(s => filter is null || s.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToArray();
        var prepared = shapes.Select((s, i) =>
        {
            torch?.Setup($"s{i}", s);
            (Tensor input, Tensor? weight) = s.Tensors();
            return (Shape: s, Id: $"s{i}", Input: input, Weight: weight, Source: input.ToArray());
        }).ToArray();

        // Every shape runs for a while before anything is timed, twice with a pause between, so that the JIT's tiers
        // (instrumented, then optimised, compiled in the background) are done with every method the calls use.
        Console.Error.WriteLine("Warming up…");
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (var p in prepared)
            {
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed.TotalSeconds < 0.15) GC.KeepAlive(p.Shape.Run(p.Input, p.Weight));
            }
            Thread.Sleep(500);
        }

        var rows = new List<Row>();
        int saved = Convolution.MaxDegreeOfParallelism;
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
                    int outputLength = p.Shape.Op == Op.Pad ? p.Shape.Run(p.Input, p.Weight).Length : 0;
                    Func<int, double>? copy = p.Shape.Op == Op.Pad ? n => TimeHelper(() => PlainCopy.Run(p.Source, outputLength), n) : null;
                    return (p.Shape, Batches: new Alternation(helper, other, copy, batchMs));
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
                    (double h, double pause, double? t, double? c) = batches.Fastest();
                    rows.Add(new Row(shape, threads, h, pause, t, c));
                }
            }
        }
        finally
        {
            Convolution.MaxDegreeOfParallelism = saved;
        }

        // Measured again at the end, keeping the better figure: another process on the machine lowers the peak it sees.
        (double peakOneAfter, double peakAllAfter) = PeakFlops.Measure(Environment.ProcessorCount);
        peakOne = Math.Max(peakOne, peakOneAfter);
        peakAll = Math.Max(peakAll, peakAllAfter);
        Console.WriteLine(Render(rows, peakOne, peakAll, torch?.Version, loadBefore, Load()));
        return 0;
    }

    /// <summary>
    /// One shape's timings at one thread count: batches sized to about <c>batchMs</c>, helper and PyTorch (and for
    /// padding a plain copy) in alternation, and per side the fastest batch, with the garbage collector's pauses within
    /// the helper's. Other work on the machine only ever adds time to a batch, and on the virtual machine this was written
    /// on it added up to 60 % to whole stretches of batches, of either side; a median then compared one side's slow
    /// stretch with the other's fast one.
    /// </summary>
    private sealed class Alternation
    {
        private readonly Func<int, double> _helper;
        private readonly Func<int, double>? _torch, _copy;
        private readonly int _nh, _nt, _nc;
        private readonly List<double> _hs = [], _pauses = [], _ts = [], _cs = [];

        public Alternation(Func<int, double> helper, Func<int, double>? torch, Func<int, double>? copy, double batchMs)
        {
            (_helper, _torch, _copy) = (helper, torch, copy);
            _nh = Calibrate(helper, batchMs);
            _nt = torch is null ? 0 : Calibrate(torch, batchMs);
            _nc = copy is null ? 0 : Calibrate(copy, batchMs);
        }

        /// <summary>
        /// One batch of each side. Each timed batch follows an untimed tenth of one, so that both sides start with their
        /// own data in the caches rather than the other side's.
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
            if (_torch is not null)
            {
                Settle();
                _torch(Math.Max(1, _nt / 10));
                _ts.Add(_torch(_nt) / _nt);
                Settle();
            }
            if (_copy is not null && !copyFirst) TimeCopy();
        }

        private void TimeCopy()
        {
            _copy!(Math.Max(1, _nc / 10));
            _cs.Add(_copy(_nc) / _nc);
        }

        public (double Helper, double HelperPause, double? Torch, double? Copy) Fastest()
        {
            int fastest = _hs.IndexOf(_hs.Min());
            return (_hs[fastest], _pauses[fastest], _torch is null ? null : _ts.Min(), _copy is null ? null : _cs.Min());
        }
    }

    /// <summary>
    /// A pause between the two sides: PyTorch's OpenMP threads keep spinning for a while after a parallel region (libgomp's
    /// default of 300,000 pause loops is several milliseconds here), and the helper's workers for a millisecond; either
    /// would otherwise take a core from the side timed next.
    /// </summary>
    private static void Settle() => Thread.Sleep(20);

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

    private static string Render(List<Row> rows, double peakOne, double peakAll, string? torchVersion, string loadBefore, string loadAfter)
    {
        var s = new StringBuilder();
        s.AppendLine($"- Machine: {CpuName()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}; " +
            $"{RuntimeInformation.FrameworkDescription}, Vector512 {(Vector512.IsHardwareAccelerated ? "accelerated" : "not accelerated")}; " +
            $"PyTorch {torchVersion ?? "not available"}.");
        IReadOnlyDictionary<string, object> gc = GC.GetConfigurationVariables();
        s.AppendLine($"- Memory reuse on both sides: .NET large-object threshold {gc["LOHThreshold"]} bytes, regions of {gc["GCRegionSize"]} bytes, " +
            $"young generation up to {gc["GCGen0MaxBudget"]} bytes; PyTorch with MALLOC_MMAP_THRESHOLD_=64 MB, MALLOC_TRIM_THRESHOLD_=256 MB.");
        s.AppendLine($"- Peak float32 FMA rate, measured: {peakOne:F0} GFLOP/s on one thread, {peakAll:F0} GFLOP/s on all cores. " +
            $"Load average before/after: {loadBefore} / {loadAfter}.");
        s.AppendLine();
        s.AppendLine("| shape | threads | helper | of which GC pauses | PyTorch | PyTorch time ÷ helper time | helper GFLOP/s | PyTorch GFLOP/s | helper % of peak | PyTorch % of peak |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (Row r in rows)
        {
            double peak = r.Threads == 1 ? peakOne : peakAll * Math.Min(r.Threads, Environment.ProcessorCount) / Environment.ProcessorCount;
            string ratio = r.Torch is double t ? $"{t / r.Helper:F2}×" : "–";
            if (r.Shape.MovesBytes)
            {
                double bytes = r.Shape.MovedBytes;
                s.AppendLine($"| {r.Shape.Name} | {r.Threads} | {Duration(r.Helper)} | {Duration(r.HelperPause)} | {Duration(r.Torch)} | {ratio} | " +
                    $"{bytes / r.Helper / 1e9:F1} GB/s | {(r.Torch is double tp ? $"{bytes / tp / 1e9:F1} GB/s" : "–")} | " +
                    $"{(r.Copy is double copy ? $"{copy / r.Helper * 100:F0}% of a plain copy ({Duration(copy)})" : "–")} | – |");
                continue;
            }
            double flops = 2.0 * r.Shape.MultiplyAccumulates;
            s.AppendLine($"| {r.Shape.Name} | {r.Threads} | {Duration(r.Helper)} | {Duration(r.HelperPause)} | {Duration(r.Torch)} | {ratio} | " +
                $"{flops / r.Helper / 1e9:F1} | {(r.Torch is double tf ? $"{flops / tf / 1e9:F1}" : "–")} | " +
                $"{flops / r.Helper / 1e9 / peak * 100:F1}% | {(r.Torch is double tq ? $"{flops / tq / 1e9 / peak * 100:F1}%" : "–")} |");
        }
        foreach (int threads in rows.Select(r => r.Threads).Distinct())
        {
            Row? s1 = rows.FirstOrDefault(r => r.Threads == threads && r.Shape.Name.StartsWith("layer", StringComparison.Ordinal) && r.Shape.Stride == (1, 1));
            Row? s2 = rows.FirstOrDefault(r => r.Threads == threads && r.Shape.Name.StartsWith("layer", StringComparison.Ordinal) && r.Shape.Stride == (2, 2));
            if (s1 is not null && s2 is not null)
            {
                s.AppendLine();
                s.Append($"Layer time at stride 1 ÷ stride 2, {threads} thread(s): helper {s1.Helper / s2.Helper:F2}");
                if (s1.Torch is double a && s2.Torch is double b) s.Append($", PyTorch {a / b:F2}");
                s.AppendLine(" (theory: 4).");
            }
        }
        return s.ToString();
    }

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
