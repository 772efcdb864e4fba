using System.Text.Json;

namespace Workbook.Tests;

/// <summary>Every committed notebook, executed by the main command under the pinned .NET Interactive kernel.</summary>
[Collection(FullRunCollection.Name)]
public sealed class NotebookTests(FullRunFixture fixture)
{
    private readonly WorkbookRun _run = fixture.Run;

    public static TheoryData<string> Notebooks => new(WorkbookRun.Notebooks);

    [Fact]
    public void The_main_command_succeeds_and_reports_its_wall_time()
    {
        Assert.True(_run.ExitCode == 0, $"exit code {_run.ExitCode}:\n{_run.Console}");
        Assert.Matches(@"(?i)wall time", _run.Console);
    }

    [Fact]
    public void There_is_one_notebook_per_exercise()
    {
        string[] numbers = WorkbookRun.Notebooks.Select(n => n[..3]).ToArray();

        Assert.Equal(["01-", "02-", "03-", "04-", "05-", "06-"], numbers);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Committed_notebook_has_the_csharp_kernel_and_no_outputs(string name)
    {
        using JsonDocument notebook = Committed(name);
        JsonElement root = notebook.RootElement;

        Assert.Equal(".net-csharp", root.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("csharp", root.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
        foreach ((_, _, JsonElement cell) in CodeCells(notebook))
        {
            Assert.Equal(0, cell.GetProperty("outputs").GetArrayLength());
        }
    }

    /// <summary>
    /// A report shows a code cell in a box about 100 characters wide (900-pixel page, 13.5-pixel monospace); a longer line
    /// is read by scrolling the box sideways, and a screenshot or a printout cuts it off. The set-up cells, folded away in
    /// the report, are left out.
    /// </summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Committed_notebook_code_lines_fit_the_report_code_box(string name)
    {
        using JsonDocument notebook = Committed(name);
        foreach ((int index, string source, _) in CodeCells(notebook).Where(c => !IsSetup(c.Source)))
        {
            foreach (string line in source.Split('\n'))
            {
                Assert.True(line.Length <= 100, $"{name}, cell {index}: a line of {line.Length} characters: {line}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Executed_notebook_has_no_error_and_an_output_for_every_code_cell_but_setup(string name)
    {
        string path = Path.Combine(_run.Output, "notebooks", name);
        Assert.True(File.Exists(path), $"{name} was not executed:\n{_run.Console}");
        using JsonDocument notebook = JsonDocument.Parse(File.ReadAllText(path));

        foreach ((int index, string source, JsonElement cell) in CodeCells(notebook))
        {
            JsonElement[] outputs = cell.GetProperty("outputs").EnumerateArray().ToArray();
            foreach (JsonElement output in outputs.Where(o => o.GetProperty("output_type").GetString() == "error"))
            {
                Assert.Fail($"{name}, cell {index}: {output.GetProperty("evalue").GetString()}\n{source}");
            }
            if (!IsSetup(source))
            {
                Assert.True(outputs.Length > 0, $"{name}, cell {index} shows nothing:\n{source}");
            }
        }
    }

    private static JsonDocument Committed(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(WorkbookRun.Root, "notebooks", name)));

    /// <summary>The code cells of a notebook: each one's position among all its cells (from 1), its source, the cell.</summary>
    private static IEnumerable<(int Index, string Source, JsonElement Cell)> CodeCells(JsonDocument notebook) =>
        notebook.RootElement.GetProperty("cells").EnumerateArray()
            .Select((cell, i) => (Index: i + 1, Cell: cell))
            .Where(c => c.Cell.GetProperty("cell_type").GetString() == "code")
            .Select(c => (c.Index, string.Concat(c.Cell.GetProperty("source").EnumerateArray().Select(line => line.GetString())), c.Cell));

    /// <summary>A set-up cell begins with a <c>// setup</c> comment, as the workbook's reports recognise it (and fold it away).</summary>
    private static bool IsSetup(string source) => source.StartsWith("// setup", StringComparison.OrdinalIgnoreCase);
}
