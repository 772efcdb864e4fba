using System.Diagnostics;

namespace Workbook.Tests;

/// <summary>
/// <c>--doctor</c> on this machine, and on the same machine as one without Node.js would look: a PATH that holds only
/// <c>dotnet</c>.
/// </summary>
[Collection(InteractiveKernelCollection.Name)]
public sealed class DoctorTests
{
    [Fact]
    public void The_doctor_finds_node_and_npm_and_exits_0_when_the_main_command_has_what_it_needs()
    {
        (int exitCode, string report) = Doctor(path: null);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{report}");
        Assert.Matches(@"(?m)^ok +npm: \d+\.\d+", report);
        Assert.Matches(@"(?m)^ok +\.NET SDK \(global\.json: [\d.]+", report);
        Assert.Matches(@"(?m)^ok +local tool dotnet-repl [\d.]+: restored", report);
        Assert.Matches(@"(?m)^ok +local tool microsoft\.dotnet-interactive 1\.0\.712001: restored", report);
        Assert.DoesNotContain("missing  Node.js (for the main command)", report);
        Assert.Contains("The main command has everything it needs.", report);
    }

    [Fact]
    public void Without_node_on_path_the_doctor_names_node_and_npm_with_their_install_command_and_exits_1()
    {
        string bin = Directory.CreateTempSubdirectory("workbook-path-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(bin, "dotnet"), DotnetExecutable());

            (int exitCode, string report) = Doctor(path: bin);

            Assert.True(exitCode == 1, $"exit code {exitCode}:\n{report}");
            Assert.Contains("missing  Node.js (for the main command). Install it with:", report);
            Assert.Contains("missing  npm (for the main command). Install it with:", report);
            Assert.Contains("sudo apt-get install nodejs npm", report);
            Assert.Matches(@"(?m)^ok +\.NET SDK", report);
            Assert.Contains("The main command cannot run until the parts marked missing for it are installed.", report);
        }
        finally
        {
            WorkbookRun.DeleteFolder(bin);
        }
    }

    [Fact]
    public void A_failed_set_up_points_to_the_doctor()
    {
        string folder = Directory.CreateTempSubdirectory("workbook-empty-").FullName;
        string notebooks = Directory.CreateDirectory(Path.Combine(folder, "notebooks")).FullName;
        string bin = Directory.CreateTempSubdirectory("workbook-path-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(bin, "dotnet"), DotnetExecutable());
            File.WriteAllText(Path.Combine(notebooks, "01-empty.ipynb"), TestNotebook.Json("# Empty", "1 + 1"));

            (int exitCode, string report) = Run(bin, "--notebooks", notebooks, "--out", Path.Combine(folder, "out"));

            Assert.True(exitCode == 2, $"exit code {exitCode}:\n{report}");
            Assert.Contains("Node.js", report);
            Assert.Contains("--doctor", report);
        }
        finally
        {
            WorkbookRun.DeleteFolder(folder);
            WorkbookRun.DeleteFolder(bin);
        }
    }

    private static (int ExitCode, string Report) Doctor(string? path) => Run(path, "--doctor");

    private static (int ExitCode, string Report) Run(string? path, params string[] arguments)
    {
        ProcessStartInfo start = WorkbookRun.StartInfo(arguments);
        if (path is not null)
        {
            start.FileName = Path.Combine(path, "dotnet");
            start.Environment["PATH"] = path;
        }
        start.Environment["NO_COLOR"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the main command did not end within 5 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    // The dotnet that runs the tests, followed through its symbolic link to the installation that holds the SDKs.
    private static string DotnetExecutable()
    {
        string? onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "dotnet"))
            .FirstOrDefault(File.Exists);
        Assert.NotNull(onPath);
        var file = new FileInfo(onPath);
        return file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file.FullName;
    }
}
