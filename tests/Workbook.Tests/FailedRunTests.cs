namespace Workbook.Tests;

/// <summary>
/// A notebook whose cell throws: the main command must exit non-zero naming the notebook, the cell and the error,
/// and must not leave a report that looks complete. It shares the full run's collection so that the two runs,
/// which build the helper into the same folder, never overlap.
/// </summary>
[Collection(FullRunCollection.Name)]
public sealed class FailedRunTests
{
    [Fact]
    public void A_failing_cell_fails_the_run_and_its_report_says_so()
    {
        using WorkbookRun run = TestNotebook.RunAlone("01-fails.ipynb",
            "# A notebook that fails",
            "Console.WriteLine(\"before\");",
            "throw new InvalidOperationException(\"deliberate failure for the test\");",
            "Console.WriteLine(\"after\");");

        Assert.True(run.ExitCode == 1, $"exit code {run.ExitCode}:\n{run.Console}");
        Assert.Contains("01-fails", run.Console);
        Assert.Contains("deliberate failure for the test", run.Console);
        Assert.Matches(@"(?i)cell 3", run.Console);

        string report = File.ReadAllText(Path.Combine(run.Output, "reports", "01-fails.html"));
        Assert.Contains("cn-failed", report);
        Assert.Contains("deliberate failure for the test", report);
        string index = File.ReadAllText(Path.Combine(run.Output, "reports", "index.html"));
        Assert.Matches("(?i)failed", index);
    }
}
