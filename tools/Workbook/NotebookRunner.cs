namespace Conv.Notebook.Workbook;

/// <summary>How dotnet-repl's run of one notebook went.</summary>
/// <param name="Notebook">The notebook.</param>
/// <param name="Process">dotnet-repl's exit code, output and wall time.</param>
/// <param name="ExecutedPath">The executed copy, or null when dotnet-repl wrote none.</param>
internal sealed record NotebookRun(NotebookFile Notebook, ProcessResult Process, string? ExecutedPath)
{
    /// <summary>
    /// What went wrong with the run as a whole, apart from cells that raised errors; null when nothing did.
    /// dotnet-repl exits 2 when a cell failed, which the cells themselves show, so that code alone is no problem
    /// unless no cell shows an error.
    /// </summary>
    /// <param name="cellsFailed">Whether some cell of the executed copy holds an error.</param>
    /// <param name="timeout">The limit the run had, for the message when it was stopped.</param>
    /// <returns>A message, or null.</returns>
    public string? Problem(bool cellsFailed, TimeSpan timeout)
    {
        if (Process.TimedOut) return $"It was stopped after running longer than {ConsoleLog.Seconds(timeout)} (--timeout).";
        if (ExecutedPath is null)
        {
            return $"dotnet-repl exited with code {Process.ExitCode} without writing the executed notebook, so no cell below ran." +
                   Output();
        }
        if (Process.ExitCode == 0 || (Process.ExitCode == 2 && cellsFailed)) return null;
        return $"dotnet-repl exited with code {Process.ExitCode}." + Output();
    }

    private string Output()
    {
        string tail = Process.Tail(20);
        return tail.Length == 0 ? "" : "\n" + tail;
    }
}

/// <summary>
/// Runs notebooks headlessly with the pinned dotnet-repl, in the notebooks folder (where their relative
/// <c>#r</c> paths point) and with <c>CONV_NOTEBOOK_PREBUILT=1</c>, which tells their first cell that the
/// helper is already built.
/// </summary>
/// <param name="repl">The pinned dotnet-repl.</param>
/// <param name="timeout">How long one notebook may run.</param>
internal sealed class NotebookRunner(DotnetRepl repl, TimeSpan timeout)
{
    /// <summary>
    /// The kernel's environment: only that the helper is built already. The runtime keeps its defaults, as in the kernel
    /// that VS Code or Jupyter starts.
    /// </summary>
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["CONV_NOTEBOOK_PREBUILT"] = "1",
    };

    /// <summary>The time limit of one notebook.</summary>
    public TimeSpan Timeout => timeout;

    /// <summary>Runs one notebook and moves its executed copy into place.</summary>
    /// <param name="notebook">The notebook.</param>
    /// <param name="executedPath">Where the executed copy goes; its folder must exist, or dotnet-repl crashes.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>How it went.</returns>
    public async Task<NotebookRun> RunAsync(NotebookFile notebook, string executedPath, CancellationToken cancellationToken)
    {
        string folder = Path.GetDirectoryName(executedPath)!;
        // dotnet-repl writes its output as it pleases; a temporary name keeps a half-written file out of sight.
        string partial = Path.Combine(folder, $".{notebook.Name}.{Guid.NewGuid():N}.ipynb");
        try
        {
            ProcessResult result = await ProcessRunner.RunAsync(
                "dotnet",
                repl.Arguments(notebook.Path, partial),
                Path.GetDirectoryName(notebook.Path)!,
                Environment,
                timeout,
                cancellationToken);
            if (!File.Exists(partial) || result.TimedOut) return new NotebookRun(notebook, result, null);
            File.Move(partial, executedPath, overwrite: true);
            return new NotebookRun(notebook, result, executedPath);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
