namespace Conv.Notebook.Workbook;

/// <summary>
/// The repository the workbook belongs to and the fixed places in it: the helper project, the tool manifest,
/// the Node renderer and the helper's build folder. Paths the user gives are taken relative to its root.
/// </summary>
internal sealed class Repository
{
    /// <summary>The file that marks the repository root: the helper's project.</summary>
    public const string MarkerFile = "Conv.Notebook.csproj";

    private Repository(string root) => Root = root;

    /// <summary>The absolute path of the repository root.</summary>
    public string Root { get; }

    /// <summary>The helper's project file.</summary>
    public string HelperProject => Path.Combine(Root, MarkerFile);

    /// <summary>Where the helper is built for the notebooks, whatever <c>--out</c> says: the notebooks reference it there.</summary>
    public string HelperOutput => Path.Combine(Root, "artifacts", "helper");

    /// <summary>The local tool manifest that pins dotnet-repl.</summary>
    public string ToolManifest => Path.Combine(Root, ".config", "dotnet-tools.json");

    /// <summary>The Node package that renders formulas and code and provides plotly.js.</summary>
    public string RenderDirectory => Path.Combine(Root, "tools", "Workbook", "render");

    /// <summary>The Node package's installed modules.</summary>
    public string NodeModules => Path.Combine(RenderDirectory, "node_modules");

    /// <summary>
    /// Finds the root by walking up from the tool's own build folder, which lies inside the repository when the
    /// tool runs with <c>dotnet run --project tools/Workbook</c>, and else from the current directory.
    /// </summary>
    /// <returns>The repository.</returns>
    /// <exception cref="SetUpException">Neither place lies inside a folder holding <see cref="MarkerFile"/>.</exception>
    public static Repository Locate()
    {
        string? root = FindRootAbove(AppContext.BaseDirectory) ?? FindRootAbove(Environment.CurrentDirectory);
        return root is null
            ? throw new SetUpException(
                $"Could not find the repository: no folder above {AppContext.BaseDirectory} or {Environment.CurrentDirectory} " +
                $"holds {MarkerFile}. Run the workbook from a clone: dotnet run --project tools/Workbook")
            : new Repository(root);
    }

    /// <summary>An absolute path for a path the user gave, relative paths being taken from the root.</summary>
    /// <param name="path">An absolute path or one relative to the repository root.</param>
    /// <returns>The full path, without a trailing separator.</returns>
    public string Resolve(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path, Root));

    private static string? FindRootAbove(string start)
    {
        for (DirectoryInfo? dir = new(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, MarkerFile))) return dir.FullName;
        }
        return null;
    }
}
