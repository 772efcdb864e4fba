namespace Workbook.Tests;

/// <summary>
/// The kernel that runs the notebooks keeps tensor-sized arrays in the collector's young generation, as the bench does,
/// so that the timings in the reports measure the convolutions rather than page faults on fresh large-object memory, and
/// lets that generation take 16 MB between collections rather than one stem output. Its regions of 32 MB (instead of 4 MB)
/// hold a padded activation too, and are not given back to the system after every generation-1 collection.
/// </summary>
[Collection(FullRunCollection.Name)]
public sealed class KernelEnvironmentTests
{
    [Fact]
    public void Stem_and_padded_activation_sized_outputs_in_a_notebook_start_in_generation_0()
    {
        using WorkbookRun run = TestNotebook.RunAlone("01-generation.ipynb",
            "# Where a stem's output and a padded activation are allocated",
            """
            // A stem's output (3.2 MB) needs the large-object threshold raised; a reflect-padded 64 × 224² activation
            // (13 MB) also needs regions larger than the default 4 MB, which cap that threshold.
            foreach ((string name, int length) in new[] { ("a stem's 3.2 MB output", 64 * 112 * 112), ("a padded 13 MB activation", 64 * 226 * 226) })
            {
                int generation = GC.GetGeneration(new float[length]);
                Console.WriteLine($"{name} starts in generation {generation}");
                if (generation != 0) throw new InvalidOperationException($"{name} went to generation {generation}, the large-object heap");
            }
            """);

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}:\n{run.Console}");
        string executed = File.ReadAllText(Path.Combine(run.Output, "notebooks", "01-generation.ipynb"));
        Assert.Contains("a stem's 3.2 MB output starts in generation 0", executed);
        Assert.Contains("a padded 13 MB activation starts in generation 0", executed);
    }

    [Fact]
    public void The_young_generation_takes_several_stem_outputs_between_collections()
    {
        using WorkbookRun run = TestNotebook.RunAlone("01-young.ipynb",
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
