namespace Workbook.Tests;

/// <summary>
/// The kernel that runs the notebooks starts as the one VS Code or Jupyter starts, with the runtime's defaults, and the
/// helper's large results reuse their memory there all the same: a loop of stem convolutions, each making a 3.2 MB
/// output (785 pages that fresh memory would fault in), faults almost no page.
/// </summary>
[Collection(FullRunCollection.Name)]
public sealed class KernelEnvironmentTests
{
    /// <summary>
    /// C# that sets <c>perCall</c> to the page faults per stem convolution after a warm-up, the helper and
    /// <c>System.IO</c> in scope.
    /// </summary>
    internal const string StemPageFaults = """
        long Faults() => long.Parse(File.ReadAllText("/proc/self/stat").Split(") ")[1].Split(' ')[7]);
        Tensor x = Tensor.Randn(1, 1, 3, 224, 224), w = Tensor.Randn(2, 64, 3, 3, 3);
        for (int i = 0; i < 40; i++) Convolution.Conv2d(x, w, stride: (2, 2), padding: (1, 1));
        long before = Faults();
        for (int i = 0; i < 200; i++) Convolution.Conv2d(x, w, stride: (2, 2), padding: (1, 1));
        double perCall = (Faults() - before) / 200.0;
        """;

    [Fact]
    public void The_kernel_has_no_collector_settings_and_large_results_reuse_their_memory()
    {
        string helper = Path.Combine(WorkbookRun.Root, "artifacts", "helper", "Conv.Notebook.dll");
        using WorkbookRun run = TestNotebook.RunAlone("01-memory.ipynb",
            "# Memory of large results in a kernel with the runtime's defaults",
            $"#r \"{helper}\"",
            """
            using System.IO;
            using Conv.Notebook;
            string[] settings = Environment.GetEnvironmentVariables().Keys.Cast<string>()
                .Where(k => k.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase)).ToArray();
            Console.WriteLine($"collector settings: {settings.Length}");
            """ + "\n" + StemPageFaults + "\n" + """
            Console.WriteLine($"page faults per stem call: {perCall:0.0}");
            if (perCall > 40) throw new InvalidOperationException($"{perCall:0.0} page faults per stem call: its outputs are fresh memory");
            """);

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}:\n{run.Console}");
        string executed = File.ReadAllText(Path.Combine(run.Output, "notebooks", "01-memory.ipynb"));
        Assert.Contains("collector settings: 0", executed);
        Assert.Contains("page faults per stem call", executed);
    }
}
