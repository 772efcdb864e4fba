using System.Reflection;
using Conv.Notebook.Display;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="NotebookSetup.Init"/> outside a notebook kernel: the test process has no
/// Microsoft.DotNet.Interactive.Formatting, so no formatter is registered, and calling it again changes nothing.
/// </summary>
public sealed class NotebookSetupTests
{
    private static bool FormattingLoadable()
    {
        try
        {
            Assembly.Load("Microsoft.DotNet.Interactive.Formatting");
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    [Fact]
    public void Outside_a_kernel_no_formatters_are_registered_and_init_is_idempotent()
    {
        // The premise: the helper compiles against the formatting library but does not ship it.
        Assert.False(FormattingLoadable(), "Microsoft.DotNet.Interactive.Formatting should not be loadable in the test process");

        NotebookSetup.Init();
        Assert.False(NotebookSetup.FormattersRegistered);
        NotebookSetup.Init();
        NotebookSetup.Init();
        Assert.False(NotebookSetup.FormattersRegistered);
    }

    [Fact]
    public void Init_from_many_threads_at_once_does_not_throw()
    {
        Parallel.For(0, 16, _ => NotebookSetup.Init());
        Assert.False(NotebookSetup.FormattersRegistered);
    }
}
