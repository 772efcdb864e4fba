using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Conv.Notebook;

/// <summary>
/// Wall-clock timings of repeated calls, measured with <see cref="Stopwatch"/>: a few warm-up calls first (the JIT
/// compiles and optimises a method over its first calls), then one sample per repeat, so that a notebook can show the
/// spread of the runs beside their median instead of a single number.
/// </summary>
/// <example>
/// <code>
/// TimingSamples t = Timing.Measure(() => Convolution.Conv2d(x, w, padding: (1, 1)), repeats: 5, warmup: 1);
/// double ms = t.Median;
/// </code>
/// </example>
public static class Timing
{
    /// <summary>Times <paramref name="action"/>: <paramref name="warmup"/> untimed calls, then <paramref name="repeats"/> timed samples.</summary>
    /// <param name="action">The work to time.</param>
    /// <param name="repeats">The number of samples, at least 1.</param>
    /// <param name="warmup">Untimed calls before the first sample, at least 0.</param>
    /// <param name="callsPerSample">Calls timed together in one sample, whose time is divided by this number; raise it for
    /// calls of a few microseconds, where one call is too short to time alone.</param>
    /// <returns>One sample per repeat, in milliseconds per call.</returns>
    /// <example><code>Timing.Measure(() => Pooling.MaxPool2d(y, (2, 2)), repeats: 5, warmup: 2).Median</code></example>
    public static TimingSamples Measure(Action action, int repeats, int warmup = 1, int callsPerSample = 1)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Interleaved([action], repeats, warmup, callsPerSample)[0];
    }

    /// <summary>
    /// Times several actions in rounds, each round calling every action once in turn, so that whatever drifts during
    /// the measurement (other processes, the JIT replacing a method with optimised code, the CPU clock) affects all of
    /// them alike and the ratios of their times stay fair.
    /// </summary>
    /// <param name="actions">The work to time, at least one action.</param>
    /// <param name="repeats">The number of timed rounds, at least 1: each action gets this many samples.</param>
    /// <param name="warmup">Untimed rounds before the first timed one, at least 0.</param>
    /// <param name="callsPerSample">Calls timed together in one sample, whose time is divided by this number.</param>
    /// <returns>The samples of each action, in the order of <paramref name="actions"/>.</returns>
    /// <example>
    /// <code>
    /// var times = Timing.Interleaved([() => Convolution.Conv2d(x, w, stride: (1, 1)),
    ///                                 () => Convolution.Conv2d(x, w, stride: (2, 2))], repeats: 5);
    /// double speedUp = times[0].Median / times[1].Median;
    /// </code>
    /// </example>
    /// <remarks>
    /// Compiled optimised from its first call: its loop around the action would otherwise run as unoptimised code for the
    /// first thousand calls, and add its own time to the first samples of a fast call.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TimingSamples[] Interleaved(IReadOnlyList<Action> actions, int repeats, int warmup = 1, int callsPerSample = 1)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0) throw new ArgumentException("There must be at least one action to time, but actions is empty.", nameof(actions));
        for (int i = 0; i < actions.Count; i++)
        {
            if (actions[i] is null) throw new ArgumentNullException(nameof(actions), $"actions[{i}] is null.");
        }
        Guard.AtLeastOne(repeats, nameof(repeats), "number of repeats");
        Guard.NotNegative(warmup, nameof(warmup), "number of warm-up rounds");
        Guard.AtLeastOne(callsPerSample, nameof(callsPerSample), "number of calls per sample");

        for (int round = 0; round < warmup; round++)
        {
            foreach (Action action in actions)
            {
                for (int call = 0; call < callsPerSample; call++) action();
            }
        }
        var samples = new double[actions.Count][];
        for (int a = 0; a < actions.Count; a++) samples[a] = new double[repeats];
        for (int round = 0; round < repeats; round++)
        {
            for (int a = 0; a < actions.Count; a++)
            {
                Action action = actions[a];
                long start = Stopwatch.GetTimestamp();
                for (int call = 0; call < callsPerSample; call++) action();
                samples[a][round] = Stopwatch.GetElapsedTime(start).TotalMilliseconds / callsPerSample;
            }
        }
        return samples.Select(s => new TimingSamples(s)).ToArray();
    }
}
