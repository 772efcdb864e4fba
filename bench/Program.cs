using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Metrology;
using Conv.Notebook.Bench;

// `compare` times the helper beside PyTorch, `ab` two builds of the helper against each other; anything else goes to
// BenchmarkDotNet (e.g. --filter '*Conv2d*').
if (args.Length > 0 && args[0] == "compare")
{
    return Compare.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "ab")
{
    return Builds.Run(args[1..]);
}
// Allocations in bytes, not rounded to MB: the point is that a call allocates its output and nothing more.
// Results go under artifacts/, which git ignores.
var config = DefaultConfig.Instance
    .WithSummaryStyle(SummaryStyle.Default.WithSizeUnit(SizeUnit.B))
    .WithArtifactsPath(Path.Combine("artifacts", "benchmarks"));
BenchmarkSwitcher.FromAssembly(typeof(Shape).Assembly).Run(args, config);
return 0;
