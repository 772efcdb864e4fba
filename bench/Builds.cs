using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

namespace Conv.Notebook.Bench;

/// <summary>
/// <c>ab</c>: times two builds of the helper against each other in one process, batch after batch in alternation, on
/// the large named shapes. On the virtual machine this was written on, the same build timed in two processes one after
/// the other differed by 10–20 %, more than most changes to the kernels; within one process, alternating batches of two
/// copies of the same build agreed to within 3 % on the medians of 40 rounds (6 % once). The build loaded first can still
/// be favoured by a few per cent, so a comparison is best run both ways round.
/// </summary>
/// <remarks>
/// Each build is loaded into an <see cref="AssemblyLoadContext"/> of its own, so each has its own workspaces and worker
/// threads. Before every batch the program sleeps a few milliseconds, long enough for the workers of the build that ran
/// the batch before to stop spinning and sleep.
/// </remarks>
public static class Builds
{
    private const string Usage = """
        dotnet run -c Release --project bench -- ab DIR_A DIR_B [options]
          DIR_A, DIR_B    folders that hold a Conv.Notebook.dll each (e.g. from
                          `dotnet build -c Release Conv.Notebook.csproj -o DIR`)
          --rounds N      batches per build and shape (default 60); each batch is 40 calls
          --shape TEXT    only shapes whose name contains TEXT
          --threads LIST  thread counts, e.g. 1,2 (default: 1 and all cores)
        """;

    /// <summary>Milliseconds between batches: the workers spin for one after a call, then sleep.</summary>
    private const int RestMs = 3;

    private const int CallsPerBatch = 40;

    public static int Run(string[] args)
    {
        if (args.Length < 2 || args[0].StartsWith("--", StringComparison.Ordinal) || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        string[] folders = [Path.GetFullPath(args[0]), Path.GetFullPath(args[1])];
        int rounds = 60;
        string? filter = null;
        int[] threadCounts = Options.DefaultThreads;
        bool parsed = Options.Parse(args[2..], new Dictionary<string, Action<string>>
        {
            ["--rounds"] = v => rounds = Options.Count(v),
            ["--shape"] = v => filter = v,
            ["--threads"] = v => threadCounts = Options.Threads(v),
        }, Usage);
        if (!parsed) return 2;
        foreach (string folder in folders)
        {
            if (!File.Exists(Path.Combine(folder, "Conv.Notebook.dll")))
            {
                Console.Error.WriteLine($"No Conv.Notebook.dll in '{folder}'.\n{Usage}");
                return 2;
            }
        }

        Build a = new(folders[0]), b = new(folders[1]);
        Shape[] shapes = Shape.All
            .Where(s => s.MovesBytes || s.IsLarge)
            .Where(s => filter is null || s.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .ToArray();
        Console.WriteLine($"A: {folders[0]}");
        Console.WriteLine($"B: {folders[1]}");
        Console.WriteLine($"{rounds} alternating batches of {CallsPerBatch} calls per build; microseconds per call.");
        Console.WriteLine();
        Console.WriteLine("| shape | threads | A fastest | A median | B fastest | B median | B median ÷ A median |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (int threads in threadCounts)
        {
            foreach (Shape shape in shapes)
            {
                Action callA = a.Call(shape, threads), callB = b.Call(shape, threads);
                for (int k = 0; k < 5; k++)
                {
                    callA();
                    callB();
                }
                var timesA = new List<double>(rounds);
                var timesB = new List<double>(rounds);
                for (int round = 0; round < rounds; round++)
                {
                    // Each build goes first every other round.
                    bool aFirst = round % 2 == 0;
                    (aFirst ? timesA : timesB).Add(Batch(aFirst ? callA : callB));
                    (aFirst ? timesB : timesA).Add(Batch(aFirst ? callB : callA));
                }
                timesA.Sort();
                timesB.Sort();
                double medianA = timesA[rounds / 2], medianB = timesB[rounds / 2];
                Console.WriteLine($"| {shape.Name} | {threads} | {timesA[0]:F1} | {medianA:F1} | {timesB[0]:F1} | {medianB:F1} | {medianB / medianA:F3} |");
            }
        }
        return 0;
    }

    private static double Batch(Action call)
    {
        Thread.Sleep(RestMs);
        call();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < CallsPerBatch; i++) call();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / CallsPerBatch;
    }

    /// <summary>One build of the helper, loaded on its own; what it does not ship is taken from the bench's folder.</summary>
    private sealed class Build
    {
        private readonly Assembly _helper;

        public Build(string folder)
        {
            var context = new AssemblyLoadContext(folder);
            context.Resolving += (loading, name) =>
            {
                string path = Path.Combine(folder, name.Name + ".dll");
                if (!File.Exists(path)) path = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
                return File.Exists(path) ? loading.LoadFromAssemblyPath(path) : null;
            };
            _helper = context.LoadFromAssemblyPath(Path.Combine(folder, "Conv.Notebook.dll"));
        }

        /// <summary>
        /// The shape's call on this build, with the same random operands as <see cref="Shape.Tensors"/>, through the public
        /// entry point of the shape's operation; arguments are matched to its parameters by name.
        /// </summary>
        public Action Call(Shape shape, int threads)
        {
            Type tensor = Type("Tensor"), convolution = Type("Convolution");
            convolution.GetProperty(nameof(Convolution.MaxDegreeOfParallelism))!.SetValue(null, threads);
            MethodInfo randn = tensor.GetMethod(nameof(Tensor.Randn), [typeof(int), typeof(int[])])!;
            var values = new Dictionary<string, object?>
            {
                ["input"] = randn.Invoke(null, [1, shape.Input]),
                ["weight"] = shape.Weight.Length == 0 ? null : randn.Invoke(null, [2, shape.Weight]),
                ["pads"] = shape.Pads,
                ["mode"] = Enum.ToObject(Type("PaddingMode"), (int)shape.Mode),
            };
            (Type owner, string name) = shape.Op switch
            {
                Op.Conv2d => (convolution, nameof(Convolution.Conv2d)),
                Op.Conv1d => (convolution, nameof(Convolution.Conv1d)),
                Op.ConvTranspose2d => (convolution, nameof(Convolution.ConvTranspose2d)),
                Op.MaxPool2d => (Type("Pooling"), nameof(Pooling.MaxPool2d)),
                Op.AvgPool2d => (Type("Pooling"), nameof(Pooling.AvgPool2d)),
                _ => (Type("Padding"), nameof(Conv.Notebook.Padding.Pad)),
            };
            if (shape.Op == Op.Conv1d)
            {
                values["stride"] = shape.Stride.W;
                values["padding"] = shape.Padding.W;
            }
            else
            {
                values["stride"] = shape.Stride;
                values["padding"] = shape.Padding;
                values["outputPadding"] = shape.OutputPadding;
                values["kernel"] = shape.Window;
            }
            // Of Conv1d and Conv2d, the overload whose padding is sizes (the other takes "same" or "valid").
            MethodInfo method = owner.GetMethods().Single(m => m.Name == name && m.IsPublic && m.IsStatic
                && m.GetParameters().All(p => p.Name != "padding" || p.ParameterType != typeof(string)));
            object?[] arguments = method.GetParameters()
                .Select(p => values.TryGetValue(p.Name!, out object? value) ? value : p.DefaultValue)
                .ToArray();
            return () => method.Invoke(null, arguments);
        }

        private Type Type(string name) => _helper.GetType("Conv.Notebook." + name, throwOnError: true)!;
    }
}
