using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace Conv.Notebook.Display;

/// <summary>
/// Makes the helper at home in a .NET Interactive notebook: tensors show as shaded tables and Plotly.NET
/// charts draw, with nothing but a <c>#r</c> of this assembly.
/// </summary>
/// <remarks>
/// Two things stand in the way, and both are handled here once. A <c>#r</c>'d assembly loads no kernel
/// extension, so the formatters are registered by this assembly itself. And Plotly.NET 6 asks for
/// FSharp.Core 10.1 while the kernel has FSharp.Core 10.0 loaded: requests for FSharp.Core are answered
/// with the loaded one (the helper's build folder deliberately holds no FSharp.Core.dll, since a second
/// copy makes Plotly.NET fail inside Giraffe.ViewEngine).
/// </remarks>
/// <example><code>#r "../artifacts/helper/Conv.Notebook.dll"
/// Conv.Notebook.Display.NotebookSetup.Init();</code></example>
public static class NotebookSetup
{
    private static int _initialized;

    /// <summary>Whether the formatters are registered: true inside a notebook kernel after <see cref="Init"/>.</summary>
    public static bool FormattersRegistered { get; private set; }

    /// <summary>
    /// Installs the FSharp.Core redirect and, when the .NET Interactive formatting library is present, the
    /// HTML formatters. Safe to call more than once; the notebooks call it in their first cell so that it has
    /// run before any cell touches Plotly.NET directly.
    /// </summary>
    /// <example><code>NotebookSetup.Init();</code></example>
    public static void Init()
    {
        if (Interlocked.Exchange(ref _initialized, 1) == 1) return;
        AppDomain.CurrentDomain.AssemblyResolve += AnswerWithLoadedFSharpCore;
        if (FormattingAvailable())
        {
            RegisterFormatters();
            FormattersRegistered = true;
        }
    }

    // Runs when a cell first touches a type of this assembly, which covers notebooks that forget Init().
    [ModuleInitializer]
    internal static void OnLoad() => Init();

    private static Assembly? AnswerWithLoadedFSharpCore(object? sender, ResolveEventArgs args)
    {
        if (!string.Equals(new AssemblyName(args.Name).Name, "FSharp.Core", StringComparison.OrdinalIgnoreCase)) return null;
        foreach (Assembly loaded in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (string.Equals(loaded.GetName().Name, "FSharp.Core", StringComparison.OrdinalIgnoreCase)) return loaded;
        }
        return null;
    }

    private static bool FormattingAvailable()
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

    // Kept apart from Init so that the formatting and Plotly.NET types load only after the redirect is in place.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterFormatters()
    {
        Formatter.Register<Tensor>((tensor, writer) => writer.Write(TensorHtml.Render(tensor)), HtmlFormatter.MimeType);
        Formatter.Register<Tensor>((tensor, writer) => writer.Write(tensor.ToString()), PlainTextFormatter.MimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml.Shown(chart)), HtmlFormatter.MimeType);
        Formatter.Register<HtmlView>((view, writer) => writer.Write(view.Html), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Tensor), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
    }
}
