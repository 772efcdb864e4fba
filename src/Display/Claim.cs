using System.Collections;
using System.Net;

namespace Conv.Notebook.Display;

/// <summary>
/// Claims that a notebook makes about its results, checked where they are made: a true claim shows as a
/// green line, a false one stops the notebook with an exception that says what was expected and what came.
/// </summary>
/// <example><code>Claim.Equal(new[] { 1, 1, 2, 2 }, y.Shape, "the output shape")</code></example>
public static class Claim
{
    /// <summary>Checks that <paramref name="condition"/> holds.</summary>
    /// <param name="condition">The computed fact.</param>
    /// <param name="statement">What it says, in words.</param>
    /// <exception cref="ClaimFailedException">The condition is false.</exception>
    /// <example><code>Claim.That(untouched.Length == 2, "rows 6 and 7 are never read")</code></example>
    public static HtmlView That(bool condition, string statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (!condition) throw new ClaimFailedException($"Claim failed: {statement}.");
        return Passed(statement);
    }

    /// <summary>Checks that two values are equal; sequences are compared element by element.</summary>
    /// <param name="expected">The value the claim predicts.</param>
    /// <param name="actual">The value computed.</param>
    /// <param name="what">What the values are.</param>
    /// <exception cref="ClaimFailedException">The values differ.</exception>
    /// <example><code>Claim.Equal(2, ConvShape.Output(8, 3, 0, 3), "the output height")</code></example>
    public static HtmlView Equal<T>(T expected, T actual, string what)
    {
        ArgumentNullException.ThrowIfNull(what);
        bool same = expected is IEnumerable e && actual is IEnumerable a && expected is not string
            ? e.Cast<object?>().SequenceEqual(a.Cast<object?>())
            : EqualityComparer<T>.Default.Equals(expected, actual);
        if (!same) throw new ClaimFailedException($"Claim failed: {what} should be {Text(expected)}, but it is {Text(actual)}.");
        return Passed($"{what} = {Text(actual)}");
    }

    /// <summary>Checks that two tensors have the same shape and agree within float32 tolerance.</summary>
    /// <param name="expected">The reference tensor.</param>
    /// <param name="actual">The tensor computed.</param>
    /// <param name="what">What the tensors are.</param>
    /// <param name="tolerance">The allowed |a − b| ≤ tolerance · (1 + |b|).</param>
    /// <exception cref="ClaimFailedException">The shapes or values differ.</exception>
    /// <example><code>Claim.Close(Convolution.ConvTranspose2d(x, k, stride: (2, 2)), viaZeros, "zero insertion")</code></example>
    public static HtmlView Close(Tensor expected, Tensor actual, string what, float tolerance = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (!actual.AllClose(expected, tolerance, tolerance))
        {
            throw new ClaimFailedException(
                $"Claim failed: {what}: expected shape {Tensor.ShapeText(expected.Shape)}, got {Tensor.ShapeText(actual.Shape)}, or values beyond the tolerance {tolerance}.");
        }
        return Passed($"{what} (shape {Tensor.ShapeText(actual.Shape)}, equal within {tolerance})");
    }

    /// <summary>Checks that <paramref name="call"/> throws <typeparamref name="TException"/>, and shows its message.</summary>
    /// <param name="call">The call that must fail.</param>
    /// <param name="statement">Why it must fail.</param>
    /// <exception cref="ClaimFailedException">The call succeeded or threw something else.</exception>
    /// <example><code>Claim.Throws&lt;ArgumentOutOfRangeException&gt;(() => Padding.Pad(x, [2, 2], PaddingMode.Reflect), "reflect needs pad &lt; size")</code></example>
    public static HtmlView Throws<TException>(Action call, string statement) where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            call();
        }
        catch (TException e)
        {
            return Passed($"{statement}: {typeof(TException).Name}: {e.Message}");
        }
        catch (Exception e)
        {
            throw new ClaimFailedException($"Claim failed: {statement}: expected {typeof(TException).Name}, but got {e.GetType().Name}: {e.Message}", e);
        }
        throw new ClaimFailedException($"Claim failed: {statement}: expected {typeof(TException).Name}, but the call succeeded.");
    }

    /// <summary>
    /// Checks a claim about measured time: that <paramref name="ratio"/> (one timing ÷ another, round by round) is at
    /// least <paramref name="atLeast"/>, allowing <paramref name="tolerance"/> for noise. It holds when three quarters of
    /// the rounds reach atLeast · (1 − tolerance), and fails when three quarters fall short of it. Between the two, the
    /// rounds disagree: the run was too disturbed to tell, and the claim shows as inconclusive (amber) instead of
    /// stopping the notebook, since timings depend on the machine and what else it runs; claims about counted things
    /// (shapes, multiply-accumulates, bytes) use the other methods and always fail loudly.
    /// </summary>
    /// <param name="ratio">The measured ratio.</param>
    /// <param name="atLeast">The least ratio claimed, above 0.</param>
    /// <param name="what">What the ratio is, such as "stride 1's time ÷ stride 2's".</param>
    /// <param name="tolerance">The share of <paramref name="atLeast"/> allowed for noise, from 0 to below 1.</param>
    /// <exception cref="ClaimFailedException">Three quarters of the rounds fall short.</exception>
    /// <example><code>Claim.AtLeast(TimingRatio.Of(times[0], times[1]), 2, "stride 1's time ÷ stride 2's")</code></example>
    public static HtmlView AtLeast(TimingRatio ratio, double atLeast, string what, double tolerance = 0.1)
    {
        ArgumentNullException.ThrowIfNull(ratio);
        ArgumentNullException.ThrowIfNull(what);
        if (!(atLeast > 0) || !double.IsFinite(atLeast))
        {
            throw new ArgumentOutOfRangeException(nameof(atLeast), atLeast, $"The least ratio claimed must be a finite number above 0, but atLeast is {atLeast}.");
        }
        if (!(tolerance >= 0 && tolerance < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, $"The tolerance must be from 0 to below 1, but it is {tolerance}.");
        }
        double threshold = atLeast * (1 - tolerance);
        // The claim as the learner reads it, with the rule it is checked by: "r ≥ 4, allowing 10 % for noise: ≥ 3.6 in
        // three quarters of the rounds".
        string bar = NumberText.Format(threshold, "0.###");
        string claimed = $"{what} ≥ {NumberText.Format(atLeast, "0.##")}" + (tolerance > 0
            ? $", allowing {NumberText.Format(100 * tolerance, "0.#")} % for noise: ≥ {bar} in three quarters of the rounds"
            : " in three quarters of the rounds");
        if (ratio.LowerQuartile >= threshold) return Passed($"{claimed}; measured {ratio}");
        if (ratio.UpperQuartile < threshold) throw new ClaimFailedException($"Claim failed: {claimed}, but it measured {ratio}.");
        return new($"<div class=\"cn-claim cn-inconclusive\" style=\"color:#9a6700;font-family:system-ui,sans-serif\">⚠ Inconclusive: " +
            $"{WebUtility.HtmlEncode(claimed)}, but the rounds measured {WebUtility.HtmlEncode(ratio.ToString())}, on both sides of {bar}: " +
            "other work on this machine disturbed the timings too much to tell. Rerun the cell when the machine is quieter.</div>");
    }

    private static HtmlView Passed(string statement) =>
        new($"<div class=\"cn-claim\" style=\"color:#1a7f37;font-family:system-ui,sans-serif\">✔ {WebUtility.HtmlEncode(statement)}</div>");

    private static string Text<T>(T value) =>
        value is IEnumerable sequence and not string ? "[" + string.Join(", ", sequence.Cast<object?>().Select(Item)) + "]" : Item(value);

    /// <summary>One value as the claim prints it: numbers in their shortest exact form, a zero without a sign.</summary>
    private static string Item(object? value) => value switch
    {
        null => "null",
        double d => NumberText.Format(d, "R"),
        float f => NumberText.Format(f, "R"),
        _ => value.ToString() ?? "",
    };
}

/// <summary>Thrown by <see cref="Claim"/> when a notebook's claim does not hold.</summary>
public sealed class ClaimFailedException : Exception
{
    /// <summary>A failed claim with its message.</summary>
    /// <param name="message">What was claimed and what came instead.</param>
    public ClaimFailedException(string message) : base(message) { }

    /// <summary>A failed claim caused by another exception.</summary>
    /// <param name="message">What was claimed and what came instead.</param>
    /// <param name="inner">The exception that came instead.</param>
    public ClaimFailedException(string message, Exception inner) : base(message, inner) { }
}
