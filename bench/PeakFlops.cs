using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Conv.Notebook.Bench;

/// <summary>
/// This machine's peak float32 rate, measured: a loop of fused multiply-adds on many independent accumulators, so that
/// neither latency nor memory limits it, once on one thread and once on every core at the same time.
/// </summary>
public static class PeakFlops
{
    private const int Accumulators = 16;

    // The loop's result goes here so that the JIT cannot drop the loop as dead code.
    private static float s_sink;

    private static readonly float[] Seeds = [.. Enumerable.Range(0, 16).Select(i => 1f + i / 1024f), 0.999999f, 1e-7f];

    /// <summary>GFLOP/s of one thread, and of all <paramref name="threads"/> together.</summary>
    public static (double OneThread, double AllThreads) Measure(int threads)
    {
        Loop(1 << 16, Seeds);
        double one = Best(1);
        double all = Best(threads);
        return (one, all);
    }

    private static double Best(int threads)
    {
        double best = 0;
        for (int round = 0; round < 5; round++) best = Math.Max(best, Run(threads, 1 << 22));
        return best;
    }

    private static double Run(int threads, long iterations)
    {
        using var start = new Barrier(threads + 1);
        var workers = new Thread[threads];
        double flopsPerLoop = 0;
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                Volatile.Write(ref flopsPerLoop, Loop(iterations, Seeds));
            });
            workers[t].Start();
        }
        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (Thread worker in workers) worker.Join();
        return threads * flopsPerLoop / clock.Elapsed.TotalSeconds / 1e9;
    }

    /// <summary>Runs the FMA loop and returns the floating-point operations it did.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Loop(long iterations, float[] seeds)
    {
        // Distinct starting values read at run time, or the JIT would see sixteen equal chains and keep one.
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> m = Vector512.Create(seeds[16]), a = Vector512.Create(seeds[17]);
            Vector512<float> c0 = Vector512.Create(seeds[0]), c1 = Vector512.Create(seeds[1]), c2 = Vector512.Create(seeds[2]), c3 = Vector512.Create(seeds[3]);
            Vector512<float> c4 = Vector512.Create(seeds[4]), c5 = Vector512.Create(seeds[5]), c6 = Vector512.Create(seeds[6]), c7 = Vector512.Create(seeds[7]);
            Vector512<float> c8 = Vector512.Create(seeds[8]), c9 = Vector512.Create(seeds[9]), c10 = Vector512.Create(seeds[10]), c11 = Vector512.Create(seeds[11]);
            Vector512<float> c12 = Vector512.Create(seeds[12]), c13 = Vector512.Create(seeds[13]), c14 = Vector512.Create(seeds[14]), c15 = Vector512.Create(seeds[15]);
            for (long i = 0; i < iterations; i++)
            {
                c0 = Vector512.FusedMultiplyAdd(c0, m, a); c1 = Vector512.FusedMultiplyAdd(c1, m, a);
                c2 = Vector512.FusedMultiplyAdd(c2, m, a); c3 = Vector512.FusedMultiplyAdd(c3, m, a);
                c4 = Vector512.FusedMultiplyAdd(c4, m, a); c5 = Vector512.FusedMultiplyAdd(c5, m, a);
                c6 = Vector512.FusedMultiplyAdd(c6, m, a); c7 = Vector512.FusedMultiplyAdd(c7, m, a);
                c8 = Vector512.FusedMultiplyAdd(c8, m, a); c9 = Vector512.FusedMultiplyAdd(c9, m, a);
                c10 = Vector512.FusedMultiplyAdd(c10, m, a); c11 = Vector512.FusedMultiplyAdd(c11, m, a);
                c12 = Vector512.FusedMultiplyAdd(c12, m, a); c13 = Vector512.FusedMultiplyAdd(c13, m, a);
                c14 = Vector512.FusedMultiplyAdd(c14, m, a); c15 = Vector512.FusedMultiplyAdd(c15, m, a);
            }
            Vector512<float> sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15;
            Volatile.Write(ref s_sink, sum.ToScalar());
            return iterations * Accumulators * 2.0 * Vector512<float>.Count;
        }
        else
        {
            Vector256<float> m = Vector256.Create(seeds[16]), a = Vector256.Create(seeds[17]);
            Vector256<float> c0 = Vector256.Create(seeds[0]), c1 = Vector256.Create(seeds[1]), c2 = Vector256.Create(seeds[2]), c3 = Vector256.Create(seeds[3]);
            Vector256<float> c4 = Vector256.Create(seeds[4]), c5 = Vector256.Create(seeds[5]), c6 = Vector256.Create(seeds[6]), c7 = Vector256.Create(seeds[7]);
            Vector256<float> c8 = Vector256.Create(seeds[8]), c9 = Vector256.Create(seeds[9]), c10 = Vector256.Create(seeds[10]), c11 = Vector256.Create(seeds[11]);
            for (long i = 0; i < iterations; i++)
            {
                c0 = Vector256.FusedMultiplyAdd(c0, m, a); c1 = Vector256.FusedMultiplyAdd(c1, m, a);
                c2 = Vector256.FusedMultiplyAdd(c2, m, a); c3 = Vector256.FusedMultiplyAdd(c3, m, a);
                c4 = Vector256.FusedMultiplyAdd(c4, m, a); c5 = Vector256.FusedMultiplyAdd(c5, m, a);
                c6 = Vector256.FusedMultiplyAdd(c6, m, a); c7 = Vector256.FusedMultiplyAdd(c7, m, a);
                c8 = Vector256.FusedMultiplyAdd(c8, m, a); c9 = Vector256.FusedMultiplyAdd(c9, m, a);
                c10 = Vector256.FusedMultiplyAdd(c10, m, a); c11 = Vector256.FusedMultiplyAdd(c11, m, a);
            }
            Vector256<float> sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
            Volatile.Write(ref s_sink, sum.ToScalar());
            return iterations * 12 * 2.0 * Vector256<float>.Count;
        }
    }
}
