using System.Text.Json;
using System.Xml.Linq;

namespace Conv.Notebook.Workbook;

/// <summary>
/// The pinned dotnet-repl, launched as <c>dotnet ENTRY.dll</c> from the restored tool package.
/// </summary>
/// <remarks>
/// <c>dotnet repl</c> finds a local tool only when its working directory lies inside the repository, but a
/// notebook's relative <c>#r</c> paths resolve against the working directory, which must be the notebooks
/// folder, and that may lie anywhere (<c>--notebooks</c>); dotnet-repl's own <c>--working-dir</c> does not
/// change it for <c>--run</c>. Launching the manifest's package directly is the same program in both cases.
/// </remarks>
/// <param name="Version">The version the manifest pins.</param>
/// <param name="EntryPoint">The tool's entry assembly in the NuGet global packages folder.</param>
internal sealed record DotnetRepl(string Version, string EntryPoint)
{
    /// <summary>The tool's package and command name.</summary>
    public const string ToolName = "dotnet-repl";

    /// <summary>The arguments of <c>dotnet</c> that run a notebook and write the executed copy.</summary>
    /// <param name="notebook">The notebook's absolute path.</param>
    /// <param name="output">The executed copy's absolute path; its folder must exist.</param>
    /// <returns>The arguments, the entry assembly first.</returns>
    public IReadOnlyList<string> Arguments(string notebook, string output) =>
        [EntryPoint, "--run", notebook, "--exit-after-run", "--output-format", "ipynb", "--output-path", output];

    /// <summary>Finds the restored tool that the manifest pins.</summary>
    /// <param name="repository">The repository whose manifest pins the tool.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The tool.</returns>
    /// <exception cref="SetUpException">The manifest does not pin it or the package is not restored.</exception>
    public static async Task<DotnetRepl> LocateAsync(Repository repository, CancellationToken cancellationToken)
    {
        string version = PinnedVersion(repository.ToolManifest);
        string packages = await GlobalPackagesFolderAsync(repository.Root, cancellationToken);
        string toolsFolder = Path.Combine(packages, ToolName, version.ToLowerInvariant(), "tools");
        string? settings = Directory.Exists(toolsFolder)
            ? Directory.EnumerateFiles(toolsFolder, "DotnetToolSettings.xml", SearchOption.AllDirectories)
                .OrderBy(path => path, StringComparer.Ordinal)
                .LastOrDefault()
            : null;
        if (settings is null)
        {
            throw new SetUpException($"{ToolName} {version} is not in {packages} after 'dotnet tool restore'. Run 'dotnet tool restore' in {repository.Root}.");
        }
        string? entry = XDocument.Load(settings).Descendants("Command")
            .Where(c => (string?)c.Attribute("Name") == ToolName)
            .Select(c => (string?)c.Attribute("EntryPoint"))
            .FirstOrDefault();
        string entryPoint = Path.Combine(Path.GetDirectoryName(settings)!, entry ?? ToolName + ".dll");
        return File.Exists(entryPoint)
            ? new DotnetRepl(version, entryPoint)
            : throw new SetUpException($"{ToolName} {version} is restored but its entry point {entryPoint} is missing. Delete {Path.Combine(packages, ToolName)} and rerun.");
    }

    private static string PinnedVersion(string manifest)
    {
        if (!File.Exists(manifest)) throw new SetUpException($"The tool manifest {manifest} is missing; it pins {ToolName}.");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(manifest));
        return json.RootElement.TryGetProperty("tools", out JsonElement tools)
               && tools.TryGetProperty(ToolName, out JsonElement tool)
               && tool.TryGetProperty("version", out JsonElement version)
               && version.GetString() is { Length: > 0 } pinned
            ? pinned
            : throw new SetUpException($"{manifest} does not pin {ToolName}: dotnet tool install {ToolName} --version 0.3.259");
    }

    /// <summary>
    /// The NuGet global packages folder, where <c>dotnet tool restore</c> puts the local tools; asked of the CLI because
    /// NUGET_PACKAGES or a nuget.config may move it.
    /// </summary>
    /// <param name="root">The repository, whose nuget.config counts.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The folder.</returns>
    /// <exception cref="SetUpException">The CLI did not name it.</exception>
    public static async Task<string> GlobalPackagesFolderAsync(string root, CancellationToken cancellationToken)
    {
        ProcessResult result = await ProcessRunner.RunAsync(
            "dotnet", ["nuget", "locals", "global-packages", "--list"], root, cancellationToken: cancellationToken);
        const string prefix = "global-packages:";
        string? line = result.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return result.ExitCode == 0 && line is not null
            ? line[prefix.Length..].Trim()
            : throw new SetUpException($"'dotnet nuget locals global-packages --list' failed:\n{result.Tail(10)}");
    }
}
