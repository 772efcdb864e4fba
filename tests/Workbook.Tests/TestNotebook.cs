using System.Text.Json.Nodes;

namespace Workbook.Tests;

/// <summary>Small notebooks written by the tests, in the format of the committed ones.</summary>
internal static class TestNotebook
{
    /// <summary>
    /// Runs the main command on a folder holding only this notebook, written as <paramref name="fileName"/>: one markdown
    /// cell, then one code cell per <paramref name="code"/>.
    /// </summary>
    public static WorkbookRun RunAlone(string fileName, string markdown, params string[] code) =>
        RunFolder(notebooks => File.WriteAllText(Path.Combine(notebooks, fileName), Json(markdown, code)));

    /// <summary>
    /// Runs the main command on a new folder of notebooks that <paramref name="write"/> fills. The folder is deleted once
    /// the run has ended; the run's output goes when the caller disposes the run.
    /// </summary>
    public static WorkbookRun RunFolder(Action<string> write)
    {
        string notebooks = Directory.CreateTempSubdirectory("workbook-notebook-").FullName;
        try
        {
            write(notebooks);
            return WorkbookRun.Start("--notebooks", notebooks);
        }
        finally
        {
            WorkbookRun.DeleteFolder(notebooks);
        }
    }

    /// <summary>The text of a C# notebook: one markdown cell, then one code cell per <paramref name="code"/>.</summary>
    public static string Json(string markdown, params string[] code) => Json(markdown, timed: false, code);

    /// <summary>The same, marked in its metadata as a notebook that times the helper when <paramref name="timed"/>.</summary>
    public static string Json(string markdown, bool timed, params string[] code)
    {
        var cells = new JsonArray
        {
            new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = new JsonArray(markdown) },
        };
        foreach (string source in code)
        {
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = null,
                ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
                ["outputs"] = new JsonArray(),
                ["source"] = new JsonArray(source),
            });
        }
        return new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject { ["defaultKernelName"] = "csharp" } },
                ["conv_notebook"] = new JsonObject { ["timed"] = timed },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 4,
        }.ToJsonString();
    }
}
