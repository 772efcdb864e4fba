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
        using JsonDocument notebook = JsonDocument.Parse(File.ReadAllText(Path.Combine(WorkbookRun.Root, "notebooks", name)));
        JsonElement root = notebook.RootElement;

        Assert.Equal(".net-csharp", root.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("csharp", root.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
        foreach (JsonElement cell in root.GetProperty("cells").EnumerateArray())
        {
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
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
        using JsonDocument notebook = JsonDocument.Parse(File.ReadAllText(Path.Combine(WorkbookRun.Root, "notebooks", name)));
        int index = 0;
        foreach (JsonElement cell in notebook.RootElement.GetProperty("cells").EnumerateArray())
        {
            index++;
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            string source = string.Concat(cell.GetProperty("source").EnumerateArray().Select(line => line.GetString()));
            if (source.StartsWith("// setup", StringComparison.OrdinalIgnoreCase)) continue;
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

        int index = 0;
        foreach (JsonElement cell in notebook.RootElement.GetProperty("cells").EnumerateArray())
        {
            index++;
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            string source = string.Concat(cell.GetProperty("source").EnumerateArray().Select(s => s.GetString()));
            JsonElement[] outputs = cell.GetProperty("outputs").EnumerateArray().ToArray();
            foreach (JsonElement output in outputs.Where(o => o.GetProperty("output_type").GetString() == "error"))
            {
                Assert.Fail($"{name}, cell {index}: {output.GetProperty("evalue").GetString()}\n{source}");
            }
            if (!source.StartsWith("// setup", StringComparison.Ordinal))
            {
                Assert.True(outputs.Length > 0, $"{name}, cell {index} shows nothing:\n{source}");
            }
        }
    }
}
