using System.Diagnostics;
using System.Globalization;

namespace Conv.Notebook.Tests;

/// <summary>
/// The test assembly's own entry point, which runs hostile calls in a child process: a call that ends the process (an
/// access violation, a stack overflow) then fails the test that started it, not the test host. The child prints one line
/// per call: "ok", "refused &lt;parameter&gt;: &lt;message&gt;" or "wrong: …"; a crash leaves the last call's "start" line unanswered.
/// </summary>
public static class HostileProcess
{
    /// <summary>Runs the calls that <paramref name="args"/> name: <c>case NAME</c> or <c>fuzz SEED COUNT</c>.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "case")
        {
            return Run(args[1], () => HostileCases.Named[args[1]]());
        }
        if (args.Length == 3 && args[0] == "fuzz")
        {
            int seed = int.Parse(args[1], CultureInfo.InvariantCulture), count = int.Parse(args[2], CultureInfo.InvariantCulture);
            int failed = 0;
            for (int i = 0; i < count; i++)
            {
                HostileCases.FuzzCase call = HostileCases.Fuzz(seed, i);
                failed += Run(call.Text, call.Check);
            }
            return failed == 0 ? 0 : 1;
        }
        Console.Error.WriteLine("usage: case NAME | fuzz SEED COUNT");
        return 2;
    }

    private static int Run(string name, Func<string?> check)
    {
        Console.Out.WriteLine($"start {name}");
        Console.Out.Flush();
        try
        {
            string? wrong = check();
            Console.Out.WriteLine(wrong is null ? "ok" : $"wrong: {wrong}");
            return wrong is null ? 0 : 1;
        }
        catch (ArgumentException e) when (!string.IsNullOrEmpty(e.ParamName))
        {
            Console.Out.WriteLine($"refused {e.ParamName}: {e.Message.ReplaceLineEndings(" ")}");
            return 0;
        }
        catch (Exception e)
        {
            Console.Out.WriteLine($"wrong: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        finally
        {
            Console.Out.Flush();
        }
    }

    /// <summary>The child's output and exit code, after running it with <paramref name="args"/> (at most <paramref name="timeout"/>).</summary>
    public static (int ExitCode, string Output) Start(TimeSpan timeout, params string[] args) => Start(timeout, null, args);

    /// <summary>As <see cref="Start(TimeSpan, string[])"/>, with <paramref name="environment"/> set in the child.</summary>
    public static (int ExitCode, string Output) Start(TimeSpan timeout, IDictionary<string, string>? environment, params string[] args)
    {
        // The host that runs the tests (the dotnet CLI names it in DOTNET_HOST_PATH), else the one on the path.
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(typeof(HostileProcess).Assembly.Location);
        foreach (string arg in args) info.ArgumentList.Add(arg);
        if (environment is not null)
        {
            foreach ((string key, string value) in environment) info.Environment[key] = value;
        }
        using Process child = Process.Start(info)!;
        Task<string> output = child.StandardOutput.ReadToEndAsync(), error = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(timeout))
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
            return (-1, $"{output.Result}\ntimed out after {timeout.TotalSeconds} s");
        }
        string text = output.Result, errors = error.Result;
        return (child.ExitCode, errors.Length == 0 ? text : $"{text}\nstderr: {errors[..Math.Min(errors.Length, 2000)]}");
    }
}
