using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Conv.Notebook;

/// <summary>
/// Runs numbered work items on the calling thread and on a team of worker threads, taking items from one shared
/// counter so that fast threads take more. Unlike <c>Parallel.For</c> it allocates nothing per call: a convolution
/// promises no allocation beyond its output.
/// </summary>
/// <remarks>
/// <para>
/// The workers keep looking for the next call for a millisecond after each one before they sleep, as OpenMP's threads
/// (and so PyTorch's) do. Waking a sleeping thread costs from a hundred microseconds to a few milliseconds on a virtual
/// machine, which is as long as a whole layer takes: with thread-pool helpers, a sub-millisecond convolution on two
/// cores was done by the caller alone before its helper woke.
/// </para>
/// <para>
/// A worker that another process keeps from its core (or that the system wakes on the caller's core) finishes its share
/// late, and the caller waits for it: with a core kept busy, two threads took up to twice as long as one. So when the
/// caller waits longer than it would have taken to do the workers' items itself, <see cref="Threads"/> keeps the next calls
/// on the caller's thread alone,
/// four of them after one such call and twice as many after each further one in a row, up to 1024; a call whose workers
/// keep pace halves the count again.
/// </para>
/// <para>
/// One call at a time has the team; a call made while it is busy (from another thread, or from inside an item) runs on
/// its own thread. The state is a pointer to the caller's stack, which is safe because the caller does not return
/// before every worker that joined the call has left it; a worker that comes late finds the call closed and stays out.
/// </para>
/// </remarks>
internal static unsafe class WorkSplitter
{
    /// <summary>The most workers the team has, beyond the calling thread.</summary>
    public const int MaxHelpers = 63;

    /// <summary>The bit of <see cref="participants"/> that closes a call to workers that have not joined it yet.</summary>
    private const int Closed = 1 << 30;

    /// <summary>
    /// Pause instructions between two looks at a shared counter. Every wait here spins with pause instructions only:
    /// <see cref="SpinWait"/> soon yields to the scheduler instead, and a yield took milliseconds in the sandboxed
    /// virtual machine this was measured on, longer than most waits it would end.
    /// </summary>
    private const int PauseCount = 16;

    /// <summary>
    /// A few pause instructions, as intrinsics rather than <see cref="Thread.SpinWait"/>: a loop around a call is not
    /// interruptible, so a garbage collection (which an allocation on the calling thread may start) would wait for a
    /// worker's whole spin; a loop of intrinsics is, and the collection stops it at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pause()
    {
        for (int i = 0; i < PauseCount; i++)
        {
            if (X86Base.IsSupported) X86Base.Pause();
            else if (ArmBase.IsSupported) ArmBase.Yield();
        }
    }

    /// <summary>How long a worker looks for the next call before it sleeps: one millisecond.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 1000;

    private static readonly Worker[] Team = new Worker[Math.Clamp(Environment.ProcessorCount - 1, 0, MaxHelpers)];

    /// <summary>1 while a call has the team, 0 when it is free.</summary>
    private static int busy;

    /// <summary>Whether the team's threads have been started (on the first call that wants them).</summary>
    private static bool started;

    // The current call: what to run, the next item to hand out, how many workers may join, the first error.
    private static delegate*<void*, int, void> body;
    private static void* state;
    private static int count, next, helpers;
    private static ExceptionDispatchInfo? error;

    /// <summary>The workers inside the current call, plus <see cref="Closed"/> once the caller has finished its part.</summary>
    private static int participants = Closed;

    /// <summary>Counts the calls; a worker that sees it change has a call to join.</summary>
    private static int epoch;

    /// <summary>How many of the next calls run on the caller's thread alone, and how many the next late worker sets that to.</summary>
    private static int aloneFor, backoff;

    /// <summary>Waits shorter than this (10 µs) are never taken for a late worker: two cores' shares differ that much anyway.</summary>
    private static readonly long MinimumLateTicks = Stopwatch.Frequency / 100_000;

    /// <summary>
    /// The threads a call that could use <paramref name="wanted"/> should take: 1 while calls run alone after a worker came
    /// late (see the remarks), otherwise <paramref name="wanted"/>. Each call that asks for more than one thread while they
    /// run alone counts one of them off.
    /// </summary>
    public static int Threads(int wanted)
    {
        if (wanted <= 1) return 1;
        int alone = Volatile.Read(ref aloneFor);
        while (alone > 0)
        {
            int seen = Interlocked.CompareExchange(ref aloneFor, alone - 1, alone);
            if (seen == alone) return 1;
            alone = seen;
        }
        return wanted;
    }

    /// <summary>Calls <paramref name="work"/>(data, i) once for every i from 0 to <paramref name="items"/> − 1, on up to <paramref name="threads"/> threads.</summary>
    public static void For(int items, int threads, delegate*<void*, int, void> work, void* data)
    {
        if (items <= 0) return;
        int wanted = Math.Min(Math.Min(threads, items) - 1, Team.Length);
        if (wanted <= 0 || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            int own = 0;
            Drain(work, data, ref own, items);
            return;
        }
        try
        {
            Run(items, wanted, work, data);
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
    }

    /// <summary>The same with a managed delegate, for callers that hold no pointers.</summary>
    public static void For(int items, int threads, Action<int> work)
    {
        GCHandle handle = GCHandle.Alloc(work);
        try
        {
            IntPtr target = GCHandle.ToIntPtr(handle);
            For(items, threads, &Invoke, &target);
        }
        finally
        {
            handle.Free();
        }
    }

    private static void Invoke(void* data, int item) => ((Action<int>)GCHandle.FromIntPtr(*(IntPtr*)data).Target!)(item);

    /// <summary>Runs one call on the team, which the caller holds.</summary>
    private static void Run(int items, int wanted, delegate*<void*, int, void> work, void* data)
    {
        if (!started) Start();
        body = work;
        state = data;
        count = items;
        next = 0;
        helpers = wanted;
        error = null;
        // Open the call once the last worker of the one before has left it (a late one may still be stepping out).
        while (Interlocked.CompareExchange(ref participants, 0, Closed) != Closed) Pause();
        Interlocked.Increment(ref epoch);
        for (int h = 0; h < wanted; h++) Team[h].Wake();

        ExceptionDispatchInfo? failure = null;
        long start = Stopwatch.GetTimestamp();
        int done = 0;
        try
        {
            done = Drain(work, data, ref next, items);
        }
        catch (Exception e)
        {
            failure = ExceptionDispatchInfo.Capture(e);
            Volatile.Write(ref next, items);
        }
        long drained = Stopwatch.GetTimestamp();
        Interlocked.Or(ref participants, Closed);
        while (Volatile.Read(ref participants) != Closed) Pause();
        Pace(drained - start, Stopwatch.GetTimestamp() - drained, done, items);
        failure ??= error;
        state = null;
        error = null;
        failure?.Throw();
    }

    /// <summary>
    /// Notes how long the caller worked (<paramref name="own"/>, on <paramref name="done"/> of the call's
    /// <paramref name="items"/>) and then waited for the workers (<paramref name="waited"/>), in timestamp ticks, and sets
    /// how many of the next calls run alone: the workers cost more than they gave when the caller, at its own pace, would
    /// have done their items in less time than it waited for them. A worker woken late, that starts its item after the
    /// caller started its own, still gives as long as it finishes before the caller alone would have.
    /// </summary>
    private static void Pace(long own, long waited, int done, int items)
    {
        if (done > 0 && waited > MinimumLateTicks && waited > own * (items - done) / done)
        {
            backoff = Math.Clamp(2 * backoff, 4, 1024);
            Volatile.Write(ref aloneFor, backoff);
        }
        else
        {
            backoff /= 2;
        }
    }

    /// <summary>Spins until <paramref name="counter"/> reaches <paramref name="target"/>, for waits inside one call.</summary>
    public static void SpinUntilAtLeast(ref int counter, int target)
    {
        while (Volatile.Read(ref counter) < target) Pause();
    }

    private static void Start()
    {
        for (int h = 0; h < Team.Length; h++) Team[h] = new Worker(h);
        started = true;
    }

    /// <summary>Runs items from <paramref name="counter"/> on until there are none left; returns how many it ran.</summary>
    private static int Drain(delegate*<void*, int, void> work, void* data, ref int counter, int items)
    {
        int i, done = 0;
        while ((i = Interlocked.Increment(ref counter) - 1) < items)
        {
            work(data, i);
            done++;
        }
        return done;
    }

    /// <summary>One thread of the team: it joins every call that wants it, then waits for the next.</summary>
    private sealed class Worker
    {
        private readonly int _index;
        private readonly SemaphoreSlim _signal = new(0);

        /// <summary>1 while the thread sleeps on <see cref="_signal"/> (or is about to), so that the caller knows to wake it.</summary>
        private int _sleeping;

        /// <summary>When the thread last worked or woke: it spins for <see cref="SpinTicks"/> from then, then sleeps.</summary>
        private long _spinFrom;

        public Worker(int index)
        {
            _index = index;
            new Thread(Loop) { IsBackground = true, Name = $"Conv.Notebook worker {index + 1}" }.Start();
        }

        public void Wake()
        {
            if (Interlocked.Exchange(ref _sleeping, 0) == 1) _signal.Release();
        }

        private void Loop()
        {
            int seen = Volatile.Read(ref epoch);
            _spinFrom = Stopwatch.GetTimestamp();
            while (true)
            {
                seen = WaitForCall(seen);
                // A call that does not want this worker leaves its spin where it was: on a machine of many cores, the
                // workers that calls of few threads never use go to sleep, however often those calls come.
                if (_index >= Volatile.Read(ref helpers)) continue;
                if ((Interlocked.Increment(ref participants) & Closed) != 0)
                {
                    Interlocked.Decrement(ref participants);
                    continue;
                }
                try
                {
                    Drain(body, state, ref next, count);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref error, ExceptionDispatchInfo.Capture(e), null);
                    Volatile.Write(ref next, count);
                }
                Interlocked.Decrement(ref participants);
                _spinFrom = Stopwatch.GetTimestamp();
            }
        }

        /// <summary>Looks for a call after <paramref name="seen"/> until <see cref="SpinTicks"/> past <see cref="_spinFrom"/>, then sleeps until one wakes it.</summary>
        private int WaitForCall(int seen)
        {
            int now;
            while ((now = Volatile.Read(ref epoch)) == seen)
            {
                if (Stopwatch.GetTimestamp() - _spinFrom > SpinTicks)
                {
                    Interlocked.Exchange(ref _sleeping, 1);
                    now = Volatile.Read(ref epoch);
                    // A call that came in between: if its caller already took the flag back, it has released the
                    // signal too, which is taken here so that the next sleep does not end at once.
                    if (now == seen || Interlocked.Exchange(ref _sleeping, 0) == 0) _signal.Wait();
                    _spinFrom = Stopwatch.GetTimestamp();
                    return Volatile.Read(ref epoch);
                }
                Pause();
            }
            return now;
        }
    }
}
