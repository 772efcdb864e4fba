using System.Collections.Concurrent;

namespace Conv.Notebook.Workbook;

/// <summary>
/// One run of the workbook: the output folder checked, set-up, the selected notebooks (those that time the helper alone,
/// one after another, then the others side by side, as many at once as there are processors), a report as each finishes
/// (staged until the run ends), the reports moved into place and the index last, and a summary of what failed.
/// </summary>
/// <param name="options">The command line.</param>
/// <param name="log">Where progress goes.</param>
internal sealed class WorkbookRun(CommandLine options, ConsoleLog log)
{
    private const int MessageLines = 5;

    /// <summary>Whether the run got past its arguments and began setting up.</summary>
    public bool Started { get; private set; }

    /// <summary>Runs the workbook.</summary>
    /// <param name="cancellationToken">Stops the run and its processes.</param>
    /// <returns><see cref="Program.Success"/> or <see cref="Program.NotebookFailed"/>.</returns>
    /// <exception cref="UsageException">The notebooks folder, the output folder or a selector is wrong.</exception>
    /// <exception cref="SetUpException">Set-up failed.</exception>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Repository repository = Repository.Locate();
        string notebooksDirectory = repository.Resolve(options.NotebooksDirectory);
        string outDirectory = repository.Resolve(options.OutDirectory);
        IReadOnlyList<NotebookFile> notebooks = NotebookSelection.Select(notebooksDirectory, options.Selectors);
        OutputFolder output = OutputFolder.Prepare(repository, outDirectory, notebooksDirectory, notebooks);
        try
        {
            log.Line($"workbook: {Count(notebooks.Count, "notebook")} from {notebooksDirectory}, output in {outDirectory}");
            Started = true;
            return await RunAsync(repository, notebooks, output, cancellationToken);
        }
        finally
        {
            output.Discard();
        }
    }

    private async Task<int> RunAsync(
        Repository repository, IReadOnlyList<NotebookFile> notebooks, OutputFolder output, CancellationToken cancellationToken)
    {
        Toolchain toolchain = await new SetUp(repository, log).RunAsync(cancellationToken);
        await using NodeRenderer renderer = toolchain.Renderer;
        var assets = new ReportAssets(repository);

        var runner = new NotebookRunner(toolchain.Repl, options.Timeout);
        var writer = new ReportWriter(renderer, assets, toolchain.Repl.Version);
        var outcomes = new ConcurrentBag<NotebookOutcome>();
        async ValueTask Run(NotebookFile notebook, CancellationToken token)
        {
            log.Line($"[{notebook.Name}] started{(notebook.Timed ? " (alone: it times the helper)" : "")}");
            NotebookOutcome outcome = await RunOneAsync(notebook, runner, writer, output, token);
            outcomes.Add(outcome);
            if (outcome.Passed)
            {
                log.Status("passed", true, $" [{notebook.Name}] in {ConsoleLog.Seconds(outcome.Elapsed)}");
            }
            else
            {
                log.Status("FAILED", false, $" [{notebook.Name}] in {ConsoleLog.Seconds(outcome.Elapsed)}: {FirstFailure(outcome)}");
            }
        }

        // A notebook that times the helper gets the machine to itself: run beside another notebook on two cores, notebook
        // 04's stride-4 layer once came out less than twice as fast as stride 1, against 3.2–3.3 times alone.
        foreach (NotebookFile notebook in notebooks.Where(n => n.Timed)) await Run(notebook, cancellationToken);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(notebooks.Where(n => !n.Timed), parallel, Run);

        // Every notebook has ended: only now do this run's files replace the earlier run's, and the index follows them
        // whatever happens next, so that it never lists a report that is not there.
        cancellationToken.ThrowIfCancellationRequested();
        output.Publish(notebooks);
        IReadOnlyList<ReportSummary> listed = await new IndexWriter(assets).WriteAsync(output.ReportsDirectory, CancellationToken.None);
        NotebookOutcome[] failed = outcomes.Where(o => !o.Passed).OrderBy(o => o.Notebook.Name, StringComparer.Ordinal).ToArray();
        if (failed.Length > 0) log.Error(FailureSummary(failed, notebooks.Count));
        log.Line($"Reports: {Path.Combine(output.ReportsDirectory, IndexWriter.FileName)} ({Count(listed.Count, "report")})");
        return failed.Length == 0 ? Program.Success : Program.NotebookFailed;
    }

    private static async Task<NotebookOutcome> RunOneAsync(
        NotebookFile notebook,
        NotebookRunner runner,
        ReportWriter writer,
        OutputFolder output,
        CancellationToken cancellationToken)
    {
        NotebookOutcome outcome;
        if (notebook.Problem is { } invalid)
        {
            // dotnet-repl would run it and report success; it is failed here, by name, without running.
            var none = new NotebookRun(notebook, new ProcessResult(0, "", TimeSpan.Zero, TimedOut: false), null);
            outcome = await writer.WriteAsync(none, Authored(notebook), $"{notebook.Path} is not a valid notebook. {invalid}",
                output.StagedReportPath(notebook), cancellationToken);
            return outcome with { ReportPath = output.ReportPath(notebook) };
        }

        NotebookRun run = await runner.RunAsync(notebook, output.StagedExecutedPath(notebook), cancellationToken);
        ExecutedNotebook? executed = null;
        string? unreadable = null;
        if (run.ExecutedPath is not null)
        {
            try
            {
                executed = ExecutedNotebook.Load(run.ExecutedPath);
            }
            catch (InvalidDataException e)
            {
                unreadable = $"The executed notebook could not be read: {e.Message}";
            }
        }
        string? problem = run.Problem(executed?.Cells.Any(c => c.Errors.Any()) == true, runner.Timeout);
        if (unreadable is not null) problem = problem is null ? unreadable : $"{problem}\n{unreadable}";
        // Without an executed copy the report still shows the notebook as written, under its failure banner.
        ExecutedNotebook shown = executed ?? Authored(notebook);
        outcome = await writer.WriteAsync(run, shown, problem, output.StagedReportPath(notebook), cancellationToken);
        return outcome with { ReportPath = output.ReportPath(notebook) };
    }

    private static ExecutedNotebook Authored(NotebookFile notebook)
    {
        try
        {
            ExecutedNotebook authored = ExecutedNotebook.Load(notebook.Path);
            return authored with { Cells = authored.Cells.Select(c => c with { Outputs = [] }).ToArray() };
        }
        catch (InvalidDataException)
        {
            return new ExecutedNotebook([]);
        }
    }

    private static string FirstFailure(NotebookOutcome outcome) =>
        outcome.Failures.FirstOrDefault() is { } first
            ? $"cell {first.Cell}: {first.Message.Split('\n', 2)[0]}"
            : outcome.Problem!.Split('\n', 2)[0];

    private static string FailureSummary(IReadOnlyList<NotebookOutcome> failed, int total)
    {
        var text = new System.Text.StringBuilder();
        text.Append($"{failed.Count} of {Count(total, "notebook")} failed:");
        foreach (NotebookOutcome outcome in failed)
        {
            text.Append($"\n\n{outcome.Notebook.Name} ({outcome.Notebook.Path})\n  report: {outcome.ReportPath}");
            if (outcome.Problem is not null) text.Append('\n').Append(Indent(FirstLines(outcome.Problem), "  "));
            foreach (CellFailure failure in outcome.Failures)
            {
                text.Append($"\n  cell {failure.Cell}: {failure.FirstLine}\n").Append(Indent(FirstLines(failure.Message), "    "));
            }
        }
        return text.ToString();
    }

    private static string FirstLines(string message)
    {
        string[] lines = message.Split('\n');
        return string.Join('\n', lines.Take(MessageLines)) + (lines.Length > MessageLines ? "\n…" : "");
    }

    private static string Indent(string text, string indent) => string.Join('\n', text.Split('\n').Select(l => indent + l));

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

}
