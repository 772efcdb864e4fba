using System.Text.RegularExpressions;

namespace Workbook.Tests;

/// <summary>
/// Every committed notebook, run cell by cell in the pinned <c>Microsoft.dotnet-interactive</c> kernel that VS Code's
/// Polyglot Notebooks and Jupyter start, with a learner's environment: nothing set by the project, so the first cell
/// builds the helper itself. Its outputs must draw offline: no script comes from another site.
/// </summary>
[Collection(InteractiveKernelCollection.Name)]
public sealed partial class InteractiveKernelTests
{
    public static TheoryData<string> Notebooks => new(WorkbookRun.Notebooks);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_in_the_interactive_kernel_with_no_remote_script(string name)
    {
        string notebooks = Path.Combine(WorkbookRun.Root, "notebooks");
        using var kernel = InteractiveKernel.Start(notebooks);

        IReadOnlyList<KernelCell> cells = await kernel.RunAsync(Path.Combine(notebooks, name), TimeSpan.FromMinutes(10));

        KernelCell? failed = cells.FirstOrDefault(c => c.Error is not null);
        Assert.True(failed is null, $"{name}, cell {failed?.Cell} ({failed?.FirstLine}) failed in dotnet-interactive:\n{failed?.Error}");
        Assert.True(cells.Count > 0, $"{name} has no code cell");
        string[] remote = cells
            .SelectMany(c => c.Outputs.SelectMany(o => RemoteScript().Matches(o)).Select(m => $"cell {c.Cell}: {m.Value}"))
            .ToArray();
        Assert.True(remote.Length == 0, $"{name} loads scripts from other sites: {string.Join("; ", remote)}");
    }

    [Theory]
    [InlineData("<script src=\"https://cdn.plot.ly/plotly-2.28.0.min.js\"></script>")]
    [InlineData("<script type='text/javascript' src='//example.org/x.js'></script>")]
    [InlineData("script.src = 'https://cdn.plot.ly/plotly-2.28.0.min.js';")]
    [InlineData("require.config({ paths: { plotly: 'https://cdn.plot.ly/plotly-2.28.0.min' } })")]
    public void The_remote_script_pattern_finds_a_remote_script(string html) => Assert.Matches(RemoteScript(), html);

    [Theory]
    [InlineData("<script>var a = 'https://example.org/page';</script>")]
    [InlineData("<script src=\"data:text/javascript;base64,AAAA\"></script>")]
    [InlineData("<a href=\"https://d2l.ai\">D2L</a>")]
    public void The_remote_script_pattern_passes_a_local_one(string html) => Assert.DoesNotMatch(RemoteScript(), html);

    /// <summary>
    /// A script element's or a script object's source on another site, or a require.js path to one. (plotly.js itself
    /// names its CDN, as where map outlines come from, which no chart here draws.)
    /// </summary>
    [GeneratedRegex(@"(?i)\bsrc\s*=\s*[""']?(https?:)?//|paths\s*:\s*\{[^}]*https?://")]
    private static partial Regex RemoteScript();
}

/// <summary>
/// The kernel tests run alone, after the other collections: notebook 4 times the helper, and a notebook sharing the
/// machine's two cores with the main command's run would measure the load instead.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InteractiveKernelCollection
{
    public const string Name = "interactive kernel";
}
