using System.Text.RegularExpressions;

namespace Workbook.Tests;

/// <summary>
/// A notebook that times the helper (<c>"conv_notebook": { "timed": true }</c>) runs with no other notebook beside it,
/// so that its timings measure the helper rather than the competition for the cores; the others still run side by side.
/// </summary>
[Collection(FullRunCollection.Name)]
public sealed partial class SchedulingTests
{
    private const string Interval = """
        var from = DateTime.UtcNow;
        System.Threading.Thread.Sleep(3000);
        Console.WriteLine($"ran from {from.Ticks} to {DateTime.UtcNow.Ticks}");
        """;

    [Fact]
    public void A_timed_notebook_runs_while_no_other_notebook_runs()
    {
        using WorkbookRun run = TestNotebook.RunFolder(notebooks =>
        {
            File.WriteAllText(Path.Combine(notebooks, "01-timed.ipynb"), TestNotebook.Json("# Times the helper", timed: true, Interval));
            File.WriteAllText(Path.Combine(notebooks, "02-beside.ipynb"), TestNotebook.Json("# Times nothing", Interval));
            File.WriteAllText(Path.Combine(notebooks, "03-beside.ipynb"), TestNotebook.Json("# Times nothing either", Interval));
        });

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}:\n{run.Console}");
        Assert.Contains("[01-timed] started (alone: it times the helper)", run.Console);
        (long From, long To) timed = Ran(run, "01-timed"), beside = Ran(run, "02-beside"), other = Ran(run, "03-beside");
        foreach ((long From, long To) untimed in new[] { beside, other })
        {
            Assert.True(untimed.To <= timed.From || untimed.From >= timed.To,
                $"a notebook ran from {untimed.From} to {untimed.To}, while the timed one ran from {timed.From} to {timed.To}");
        }
        Assert.True(beside.From < other.To && other.From < beside.To, "the untimed notebooks did not run side by side");
    }

    private static (long From, long To) Ran(WorkbookRun run, string name)
    {
        string executed = File.ReadAllText(Path.Combine(run.Output, "notebooks", name + ".ipynb"));
        Match match = IntervalText().Match(executed);
        Assert.True(match.Success, $"{name} printed no interval:\n{executed}");
        return (long.Parse(match.Groups[1].Value), long.Parse(match.Groups[2].Value));
    }

    [GeneratedRegex(@"ran from (\d+) to (\d+)")]
    private static partial Regex IntervalText();
}
