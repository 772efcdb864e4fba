using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Conv.Notebook.Workbook;

/// <summary>What set-up leaves ready for the run.</summary>
/// <param name="Repl">The pinned dotnet-repl.</param>
/// <param name="Renderer">The running formula and code renderer.</param>
internal sealed record Toolchain(DotnetRepl Repl, NodeRenderer Renderer);

/// <summary>
/// Everything a fresh clone needs before notebooks can run: the local tools, the Node packages and the helper,
/// built once so that the notebooks, running side by side, do not each build it into the same folder.
/// </summary>
/// <param name="repository">The repository to set up.</param>
/// <param name="log">Where progress goes.</param>
internal sealed partial class SetUp(Repository repository, ConsoleLog log)
{
    private static readonly string[] RequiredModules =
    [
        Path.Combine("katex", "package.json"),
        Path.Combine("highlight.js", "package.json"),
        Path.Combine("plotly.js-dist-min", "plotly.min.js"),
    ];

    /// <summary>Restores the tools, installs the Node packages when needed, builds the helper and starts the renderer.</summary>
    /// <param name="cancellationToken">Cancels set-up.</param>
    /// <returns>The tools the run uses.</returns>
    /// <exception cref="SetUpException">A step failed; the message says what to install or run.</exception>
    public async Task<Toolchain> RunAsync(CancellationToken cancellationToken)
    {
        // The three steps are independent, so they run together and a fresh clone waits only for the slowest.
        Task<DotnetRepl> tools = Step("dotnet tool restore", () => RestoreToolsAsync(cancellationToken), repl => $"{DotnetRepl.ToolName} {repl.Version}");
        Task<bool> modules = Step("renderer packages", () => InstallNodeModulesAsync(cancellationToken), installed => installed ? "npm ci" : "up to date");
        Task<bool> helper = Step("helper build", () => BuildHelperAsync(cancellationToken), _ => Path.GetRelativePath(repository.Root, repository.HelperOutput));
        try
        {
            await Task.WhenAll(tools, modules, helper);
        }
        catch (SetUpException)
        {
            string[] messages = new Task[] { tools, modules, helper }
                .Where(t => t.IsFaulted)
                .SelectMany(t => t.Exception!.InnerExceptions)
                .Select(e => e.Message)
                .ToArray();
            throw new SetUpException(string.Join("\n\n", messages));
        }
        NodeRenderer renderer = await Step("renderer", () => NodeRenderer.StartAsync(repository.RenderDirectory, cancellationToken), r => r.NodeVersion);
        return new Toolchain(await tools, renderer);
    }

    /// <summary>The oldest Node.js the renderer supports: the major version of its package's <c>engines.node</c>.</summary>
    /// <param name="repository">The repository whose renderer package says it.</param>
    /// <returns>The major version; 20 when the package does not say.</returns>
    public static int NodeMinimum(Repository repository)
    {
        string package = Path.Combine(repository.RenderDirectory, "package.json");
        if (!File.Exists(package)) return 20;
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(package));
        return json.RootElement.TryGetProperty("engines", out JsonElement engines)
               && engines.TryGetProperty("node", out JsonElement node)
               && Digits().Match(node.GetString() ?? "") is { Success: true } m
            ? int.Parse(m.Value, CultureInfo.InvariantCulture)
            : 20;
    }

    private async Task<T> Step<T>(string name, Func<Task<T>> step, Func<T, string> describe)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            T result = await step();
            log.Line($"set-up: {name} ({describe(result)}) in {ConsoleLog.Seconds(clock.Elapsed)}");
            return result;
        }
        catch (ProgramNotFoundException e)
        {
            throw new SetUpException(Install(e.Program, e.Message));
        }
    }

    private async Task<DotnetRepl> RestoreToolsAsync(CancellationToken cancellationToken)
    {
        ProcessResult result = await ProcessRunner.RunAsync("dotnet", ["tool", "restore"], repository.Root, cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new SetUpException(
                $"'dotnet tool restore' failed in {repository.Root} (exit {result.ExitCode}); it needs the NuGet registry.\n{result.Tail(15)}");
        }
        return await DotnetRepl.LocateAsync(repository, cancellationToken);
    }

    private async Task<bool> InstallNodeModulesAsync(CancellationToken cancellationToken)
    {
        string lockFile = Path.Combine(repository.RenderDirectory, "package-lock.json");
        if (!File.Exists(lockFile)) throw new SetUpException($"{lockFile} is missing; it pins the renderer's packages.");
        if (NodeModulesAreCurrent(lockFile)) return false;

        (string program, string[] arguments) = OperatingSystem.IsWindows()
            ? ("cmd.exe", new[] { "/d", "/c", "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error" })
            : ("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
        ProcessResult result = await ProcessRunner.RunAsync(program, arguments, repository.RenderDirectory, cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new SetUpException(
                $"'npm ci' failed in {repository.RenderDirectory} (exit {result.ExitCode}); it needs Node.js {NodeMinimum(repository)} or later with npm " +
                $"and the npm registry.\n{result.Tail(15)}");
        }
        string? missing = RequiredModules.FirstOrDefault(m => !File.Exists(Path.Combine(repository.NodeModules, m)));
        return missing is null
            ? true
            : throw new SetUpException($"'npm ci' ran but {Path.Combine(repository.NodeModules, missing)} is missing.");
    }

    // npm ci rewrites node_modules/.package-lock.json, so its age says whether the install follows the lock file.
    private bool NodeModulesAreCurrent(string lockFile)
    {
        if (!Directory.Exists(repository.NodeModules)) return false;
        if (RequiredModules.Any(m => !File.Exists(Path.Combine(repository.NodeModules, m)))) return false;
        string marker = Path.Combine(repository.NodeModules, ".package-lock.json");
        DateTime installed = File.Exists(marker) ? File.GetLastWriteTimeUtc(marker) : Directory.GetLastWriteTimeUtc(repository.NodeModules);
        return installed >= File.GetLastWriteTimeUtc(lockFile);
    }

    private async Task<bool> BuildHelperAsync(CancellationToken cancellationToken)
    {
        ProcessResult result = await ProcessRunner.RunAsync(
            "dotnet",
            // No build server may outlive the build: one would hold the redirected output open, and the wait for it hang.
            ["build", repository.HelperProject, "-c", "Release", "-o", repository.HelperOutput, "-nologo", "--disable-build-servers"],
            repository.Root,
            cancellationToken: cancellationToken);
        if (result.ExitCode == 0) return true;
        string[] errors = result.Output.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Contains(": error ", StringComparison.Ordinal))
            .Distinct()
            .Take(15)
            .ToArray();
        throw new SetUpException(
            $"The helper did not build (dotnet build {Repository.MarkerFile} -c Release -o artifacts/helper, exit {result.ExitCode}):\n" +
            (errors.Length > 0 ? string.Join('\n', errors) : result.Tail(20)));
    }

    private string Install(string program, string reason) => program switch
    {
        "node" or "npm" or "cmd.exe" =>
            $"{reason}. Install Node.js {NodeMinimum(repository)} or later with npm (for example: apt-get install nodejs npm) and rerun.",
        "dotnet" => $"{reason}. Install the .NET 10 SDK and put 'dotnet' on PATH.",
        _ => reason,
    };

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}

/// <summary>Set-up could not finish; the message says what to install or run.</summary>
/// <param name="message">What failed and what to do about it.</param>
internal sealed class SetUpException(string message) : Exception(message);
