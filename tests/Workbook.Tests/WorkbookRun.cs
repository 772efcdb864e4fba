using System.Diagnostics;

namespace Workbook.Tests;

/// <summary>
/// One run of the main command, <c>dotnet run --project tools/Workbook</c>, into a fresh folder; shared by the
/// tests of a collection so that the notebooks are executed once per test run. Disposing it deletes that folder (a full
/// run's is about 26 MB).
/// </summary>
public sealed class WorkbookRun : IDisposable
{
    private WorkbookRun(string output, int exitCode, string console)
    {
        Output = output;
        ExitCode = exitCode;
        Console = console;
    }

    /// <summary>The repository root, found from the test assembly's folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The folder given to <c>--out</c>: it holds <c>notebooks/</c> and <c>reports/</c>.</summary>
    public string Output { get; }

    /// <summary>The command's exit code.</summary>
    public int ExitCode { get; }

    /// <summary>Everything the command printed, standard output and error together.</summary>
    public string Console { get; }

    /// <summary>The committed notebooks, by file name.</summary>
    public static string[] Notebooks { get; } =
        Directory.GetFiles(Path.Combine(Root, "notebooks"), "*.ipynb").Select(Path.GetFileName).Order().ToArray()!;

    /// <summary>Runs the main command with the given arguments into a new temporary folder.</summary>
    public static WorkbookRun Start(params string[] arguments)
    {
        string output = Directory.CreateTempSubdirectory("workbook-test-").FullName;
        ProcessStartInfo start = StartInfo(["--out", output, .. arguments]);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new WorkbookRun(output, process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>
    /// How the tests start the tool: <c>dotnet run --disable-build-servers --project tools/Workbook -- ARGUMENTS</c> in the
    /// repository, with standard output and error redirected and the runtime's collector defaults.
    /// </summary>
    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // No build servers: a worker node that its build starts would keep the redirected output open after the tool has
        // ended, and reading it to the end would wait for the node to idle out.
        foreach (string a in new[] { "run", "--disable-build-servers", "--project", "tools/Workbook", "--" }.Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }
        // The kernels run with the runtime's defaults, as the one VS Code starts; the shell that runs the tests must not change that.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("DOTNET_GC", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }
        return start;
    }

    /// <summary>Deletes the output folder.</summary>
    public void Dispose() => DeleteFolder(Output);

    /// <summary>Deletes a folder a test wrote, with everything in it, if it is still there.</summary>
    public static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Conv.Notebook.csproj"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds Conv.Notebook.csproj.");
    }
}

/// <summary>The run of every committed notebook, made once for all the tests that read it.</summary>
public sealed class FullRunFixture : IDisposable
{
    /// <summary>The run.</summary>
    public WorkbookRun Run { get; } = WorkbookRun.Start();

    public void Dispose() => Run.Dispose();
}

[CollectionDefinition(Name)]
public sealed class FullRunCollection : ICollectionFixture<FullRunFixture>
{
    public const string Name = "full workbook run";
}
