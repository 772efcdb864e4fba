using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Conv.Notebook.Workbook;

/// <summary>How a child process ended.</summary>
/// <param name="ExitCode">Its exit code; -1 when it was stopped for running too long.</param>
/// <param name="Output">What it wrote to stdout and stderr, interleaved as it arrived.</param>
/// <param name="Elapsed">Its wall time.</param>
/// <param name="TimedOut">Whether it was stopped for running longer than allowed.</param>
internal sealed record ProcessResult(int ExitCode, string Output, TimeSpan Elapsed, bool TimedOut)
{
    /// <summary>The last <paramref name="count"/> non-empty lines of the output, for an error message.</summary>
    /// <param name="count">How many lines at most.</param>
    /// <returns>The lines joined with newlines.</returns>
    public string Tail(int count) =>
        string.Join('\n', Output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).TakeLast(count));
}

/// <summary>Runs child processes with their output captured, a time limit and the whole tree stopped on timeout.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs a program to its end.</summary>
    /// <param name="fileName">The program, found on PATH when not a path.</param>
    /// <param name="arguments">Its arguments, passed as they are (no shell quoting).</param>
    /// <param name="workingDirectory">Its working directory.</param>
    /// <param name="environment">Variables to set for it on top of this process's.</param>
    /// <param name="timeout">How long it may run; null for no limit.</param>
    /// <param name="cancellationToken">Stops the process tree when cancelled.</param>
    /// <returns>How it ended.</returns>
    /// <exception cref="ProgramNotFoundException">The program could not be started, usually because it is not installed.</exception>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments) startInfo.ArgumentList.Add(argument);
        Quiet(startInfo);
        if (environment is not null)
        {
            foreach ((string key, string value) in environment) startInfo.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);

        var clock = Stopwatch.StartNew();
        Start(process);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t) limit.CancelAfter(t);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            StopTree(process);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = true;
        }
        // The parameterless wait also drains the redirected streams, so the output is complete.
        process.WaitForExit();
        clock.Stop();
        string text;
        lock (output) text = output.ToString();
        return new ProcessResult(timedOut ? -1 : process.ExitCode, text, clock.Elapsed, timedOut);
    }

    /// <summary>Starts a process, turning "not found" into an exception that names the program.</summary>
    /// <param name="process">The configured process.</param>
    /// <exception cref="ProgramNotFoundException">The program could not be started.</exception>
    public static void Start(Process process)
    {
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ProgramNotFoundException(process.StartInfo.FileName, e.Message);
        }
    }

    /// <summary>Turns off the .NET CLI's banners and telemetry notices, which only add noise to captured output.</summary>
    /// <param name="startInfo">The start info to adjust.</param>
    public static void Quiet(ProcessStartInfo startInfo)
    {
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
    }

    /// <summary>Stops a process and its children, ignoring one that has already ended.</summary>
    /// <param name="process">The process.</param>
    public static void StopTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.Append(line).Append('\n');
    }
}

/// <summary>A program could not be started, most likely because it is not installed or not on PATH.</summary>
/// <param name="program">The program's name.</param>
/// <param name="reason">The operating system's reason.</param>
internal sealed class ProgramNotFoundException(string program, string reason)
    : Exception($"Could not start '{program}': {reason}")
{
    /// <summary>The program's name.</summary>
    public string Program { get; } = program;
}
