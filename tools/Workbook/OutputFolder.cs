using System.Diagnostics;
using System.Globalization;

namespace Conv.Notebook.Workbook;

/// <summary>
/// The folder a run writes into (<c>--out</c>), checked before set-up so that a run never deletes or overwrites a file it
/// did not write. A run writes its executed notebooks and reports into a staging folder inside it and moves them into
/// <c>notebooks/</c> and <c>reports/</c> only when every notebook has ended, so an interrupted run leaves the previous
/// reports, and an index that lists them, as they were.
/// </summary>
internal sealed class OutputFolder
{
    // The folders of executed notebooks and of reports, in the output folder and in a staging folder alike.
    private const string ExecutedName = "notebooks";
    private const string ReportsName = "reports";

    // A staging folder is named after the process that writes it, so a later run can tell one left by a killed run.
    private const string StagingPrefix = ".workbook-run-";

    // Folders of the repository that hold what people write, never what a run writes.
    private static readonly string[] SourceFolders = ["notebooks", "src", "tests", "tools", "docs", ".git", ".github", ".config"];

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    // The output folder, and this run's staging folder inside it.
    private readonly string _root;
    private readonly string _staging;

    private OutputFolder(string root, string staging)
    {
        _root = root;
        _staging = staging;
    }

    /// <summary>Where the reports and the index end up.</summary>
    public string ReportsDirectory => Path.Combine(_root, ReportsName);

    /// <summary>
    /// Checks the output folder and creates it with this run's staging folder: it must not be, hold or lie inside the
    /// notebooks folder or one of the repository's source folders, nor hold the repository, and the files the run would
    /// replace must be ones an earlier run wrote.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="outDirectory">The output folder, absolute.</param>
    /// <param name="notebooksDirectory">The notebooks folder, absolute.</param>
    /// <param name="notebooks">The notebooks the run will write.</param>
    /// <returns>The folder, ready for the run.</returns>
    /// <exception cref="UsageException">The folder is not one the run may write into, or cannot be created or written.</exception>
    public static OutputFolder Prepare(Repository repository, string outDirectory, string notebooksDirectory, IReadOnlyList<NotebookFile> notebooks)
    {
        string output = RealPath(outDirectory);
        string notebooksFolder = RealPath(notebooksDirectory);
        string root = RealPath(repository.Root);
        if (Holds(output, notebooksFolder) || Holds(notebooksFolder, output))
        {
            throw Refused(outDirectory, $"it {Relation(output, notebooksFolder)} the notebooks folder {notebooksDirectory}, whose files it could replace");
        }
        if (Holds(output, root))
        {
            throw Refused(outDirectory, $"it {Relation(output, root)} the repository {repository.Root}");
        }
        foreach (string source in SourceFolders.Select(f => Path.Combine(root, f)))
        {
            if (Holds(output, source) || Holds(source, output))
            {
                throw Refused(outDirectory, $"it {Relation(output, source)} the repository's folder {Path.GetFileName(source)}, which holds what people write");
            }
        }
        if (File.Exists(outDirectory)) throw Refused(outDirectory, "it is a file");

        try
        {
            CheckOwnFiles(outDirectory, notebooks);
            Directory.CreateDirectory(outDirectory);
            RemoveAbandonedStaging(outDirectory);
            var folder = new OutputFolder(outDirectory,
                Path.Combine(outDirectory, StagingPrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
            // Creating the staging folder proves that the run can write there, before any set-up.
            if (Directory.Exists(folder._staging)) Directory.Delete(folder._staging, recursive: true);
            foreach (string parent in new[] { folder._staging, folder._root })
            {
                Directory.CreateDirectory(Path.Combine(parent, ExecutedName));
                Directory.CreateDirectory(Path.Combine(parent, ReportsName));
            }
            return folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw Refused(outDirectory, $"it cannot be written: {e.Message.TrimEnd('.')}");
        }
    }

    /// <summary>Where this run writes a notebook's executed copy until it ends.</summary>
    /// <param name="notebook">The notebook.</param>
    /// <returns>The path in the staging folder.</returns>
    public string StagedExecutedPath(NotebookFile notebook) => ExecutedPath(_staging, notebook);

    /// <summary>Where this run writes a notebook's report until it ends.</summary>
    /// <param name="notebook">The notebook.</param>
    /// <returns>The path in the staging folder.</returns>
    public string StagedReportPath(NotebookFile notebook) => ReportPath(_staging, notebook);

    /// <summary>Where a notebook's report ends up.</summary>
    /// <param name="notebook">The notebook.</param>
    /// <returns>The path in <see cref="ReportsDirectory"/>.</returns>
    public string ReportPath(NotebookFile notebook) => ReportPath(_root, notebook);

    /// <summary>
    /// Moves this run's reports and executed copies into place, each replacing the earlier run's; a notebook that this
    /// run could not execute loses the executed copy of an earlier run, which its new report no longer describes.
    /// </summary>
    /// <param name="notebooks">The notebooks the run ran.</param>
    public void Publish(IEnumerable<NotebookFile> notebooks)
    {
        foreach (NotebookFile notebook in notebooks)
        {
            string staged = StagedExecutedPath(notebook);
            string executed = ExecutedPath(_root, notebook);
            if (File.Exists(staged)) File.Move(staged, executed, overwrite: true);
            else File.Delete(executed);
            string report = StagedReportPath(notebook);
            if (File.Exists(report)) File.Move(report, ReportPath(notebook), overwrite: true);
        }
    }

    /// <summary>Deletes this run's staging folder and whatever is still in it.</summary>
    public void Discard()
    {
        try
        {
            if (Directory.Exists(_staging)) Directory.Delete(_staging, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still open elsewhere; the next run removes the folder.
        }
    }

    // The reports and executed copies the run would replace must be ones this tool wrote: a report carries its summary in
    // meta tags, the index its own class, and an executed copy comes with its report.
    private static void CheckOwnFiles(string outDirectory, IReadOnlyList<NotebookFile> notebooks)
    {
        string reports = Path.Combine(outDirectory, ReportsName);
        string index = Path.Combine(reports, IndexWriter.FileName);
        if (File.Exists(index) && !IndexWriter.IsIndex(index))
        {
            throw Refused(outDirectory, $"{index} is not an index this tool wrote, and the run would replace it");
        }
        foreach (NotebookFile notebook in notebooks)
        {
            string report = ReportPath(outDirectory, notebook);
            bool ownReport = File.Exists(report) && ReportSummary.Read(report) is not null;
            if (File.Exists(report) && !ownReport)
            {
                throw Refused(outDirectory, $"{report} is not a report this tool wrote, and the run would replace it");
            }
            string executed = ExecutedPath(outDirectory, notebook);
            if (File.Exists(executed) && !ownReport)
            {
                throw Refused(outDirectory,
                    $"{executed} has no report beside it in {reports}, so it may be a notebook of yours, and the run would replace it");
            }
        }
    }

    // A notebook's executed copy and report in the output folder or a staging folder.
    private static string ExecutedPath(string folder, NotebookFile notebook) => Path.Combine(folder, ExecutedName, notebook.Name + ".ipynb");

    private static string ReportPath(string folder, NotebookFile notebook) => Path.Combine(folder, ReportsName, notebook.Name + ".html");

    // Staging folders of runs whose process has gone: a run that was killed outright could not remove its own.
    private static void RemoveAbandonedStaging(string outDirectory)
    {
        foreach (string folder in Directory.EnumerateDirectories(outDirectory, StagingPrefix + "*"))
        {
            string id = Path.GetFileName(folder)[StagingPrefix.Length..];
            if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == Environment.ProcessId || IsRunning(pid)) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for a later run.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static UsageException Refused(string outDirectory, string reason) =>
        new($"--out {outDirectory} is refused: {reason}. Give a folder of its own, such as the default, artifacts.");

    private static string Relation(string output, string folder) =>
        string.Equals(output, folder, PathComparison) ? "is" : Holds(output, folder) ? "holds" : "lies inside";

    // Whether `folder` is `path` or lies inside it.
    private static bool Holds(string path, string folder) =>
        string.Equals(path, folder, PathComparison)
        || folder.StartsWith(Path.EndsInDirectorySeparator(path) ? path : path + Path.DirectorySeparatorChar, PathComparison);

    // The absolute path with every symbolic link along it that exists followed, so that a link cannot hide a folder.
    private static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        string current = Path.GetPathRoot(full)!;
        foreach (string part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var info = new DirectoryInfo(current);
            if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = RealPath(target.FullName);
            }
        }
        return Path.TrimEndingDirectorySeparator(current);
    }
}
