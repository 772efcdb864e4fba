using System.Diagnostics;

namespace Conv.Notebook.Workbook;

/// <summary>
/// <c>dotnet run --project tools/Workbook [-- options] [notebooks]</c>: sets itself up, runs the notebooks
/// headlessly side by side and writes an offline HTML report for each, plus an index.
/// </summary>
internal static class Program
{
    /// <summary>Every notebook ran without error.</summary>
    public const int Success = 0;

    /// <summary>A notebook failed: a cell raised an error, a formula did not render, or dotnet-repl failed.</summary>
    public const int NotebookFailed = 1;

    /// <summary>The arguments were wrong or set-up failed; the message says what to fix, install or run.</summary>
    public const int BadArgumentsOrSetUp = 2;

    /// <summary>The run was interrupted with Ctrl+C (SIGINT); the previous run's reports are left as they were.</summary>
    public const int Interrupted = 130;

    /// <summary>Runs the command.</summary>
    /// <param name="args">Options and notebook selectors.</param>
    /// <returns>
    /// The exit code: <see cref="Success"/>, <see cref="NotebookFailed"/>, <see cref="BadArgumentsOrSetUp"/> or
    /// <see cref="Interrupted"/>.
    /// </returns>
    public static async Task<int> Main(string[] args)
    {
        var log = new ConsoleLog();
        CommandLine options;
        try
        {
            options = CommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            log.Error($"{e.Message}\nRun with --help for the usage.");
            return BadArgumentsOrSetUp;
        }
        if (options.ShowHelp)
        {
            log.Line(CommandLine.Usage);
            return Success;
        }
        if (options.RunDoctor) return await Doctor.RunAsync(Repository.Locate(), log, CancellationToken.None);

        using var interrupt = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C stops the notebooks' processes cleanly; a second one ends the tool at once.
            if (interrupt.IsCancellationRequested) return;
            e.Cancel = true;
            interrupt.Cancel();
        };

        var clock = Stopwatch.StartNew();
        var run = new WorkbookRun(options, log);
        try
        {
            int code = await run.RunAsync(interrupt.Token);
            if (!interrupt.IsCancellationRequested) return code;
            log.Error("Interrupted.");
            return Interrupted;
        }
        catch (Exception) when (WasInterrupted(interrupt, run.Started))
        {
            log.Error("Interrupted.");
            return Interrupted;
        }
        catch (UsageException e)
        {
            log.Error(e.Message);
            return BadArgumentsOrSetUp;
        }
        catch (SetUpException e)
        {
            log.Error($"Set-up failed.\n{e.Message}\n{Doctor.Hint}");
            return BadArgumentsOrSetUp;
        }
        catch (RendererException e)
        {
            log.Error($"The renderer (node tools/Workbook/render/render.mjs) failed: {e.Message}");
            return BadArgumentsOrSetUp;
        }
        finally
        {
            if (run.Started) log.Line($"Total wall time: {ConsoleLog.Seconds(clock.Elapsed)}");
        }
    }

    // Ctrl+C in a terminal reaches the renderer and the notebooks' processes too, and one of them may fail (a broken pipe,
    // a killed kernel) a moment before this process handles the signal: a failure while running waits that moment out.
    private static bool WasInterrupted(CancellationTokenSource interrupt, bool running) =>
        interrupt.IsCancellationRequested
        || (running && interrupt.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500)));
}
