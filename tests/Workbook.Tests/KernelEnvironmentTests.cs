namespace Workbook.Tests;

/// <summary>
/// The kernel that runs the notebooks keeps tensor-sized arrays in the collector's young generation, as the bench does,
/// so that the timings in the reports measure the convolutions rather than page faults on fresh large-object memory, and
/// lets that generation take 16 MB between collections rather than one stem output.
/// </summary>
[Collection(FullRunCollection.Name)]
public sealed class KernelEnvironmentTests
{
    [Fact]
    public void A_stem_sized_output_in_a_notebook_starts_in_generation_0()
    {
        WorkbookRun run = TestNotebook.RunAlone("01-generation.ipynb",
            "# Where a stem's output is allocated",
            """
            var output = new float[64 * 112 * 112];
            int generation = GC.GetGeneration(output);
            Console.WriteLine($"a stem's 3.2 MB output starts in generation {generation}");
            if (generation != 0) throw new InvalidOperationException($"a stem's 3.2 MB output went to generation {generation}, the large-object heap");
            """);

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}:\n{run.Console}");
        string executed = File.ReadAllText(Path.Combine(run.Output, "notebooks", "01-generation.ipynb"));
        Assert.Contains("a stem's 3.2 MB output starts in generation 0", executed);
    }

    [Fact]
    public void The_young_generation_takes_several_stem_outputs_between_collections()
    {
        WorkbookRun run = TestNotebook.RunAlone("01-young.ipynb",
            "# How much the young generation takes between collections",
            """
            long budget = Convert.ToInt64(GC.GetConfigurationVariables()["GCGen0MaxBudget"]);
            Console.WriteLine($"young generation budget {budget} bytes");
            if (budget < 16L << 20) throw new InvalidOperationException($"the young generation takes {budget} bytes between collections, under 16 MB");
            """);

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}:\n{run.Console}");
        string executed = File.ReadAllText(Path.Combine(run.Output, "notebooks", "01-young.ipynb"));
        Assert.Contains("young generation budget 16777216 bytes", executed);
    }
}
