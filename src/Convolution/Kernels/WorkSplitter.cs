using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Conv.Notebook;

/// <summary>
/// Runs numbered work items on the calling thread and on pooled thread-pool helpers, taking items from one
/// shared counter so that fast threads take more. Unlike <c>Parallel.For</c> it allocates nothing per call:
/// a convolution promises no allocation beyond its output.
/// </summary>
/// <remarks>
/// The state is a pointer to the caller's stack. That is safe because the caller does not return before every
/// helper that started has finished; a helper that has not started when the items run out is cancelled instead
/// of waited for, so a busy thread pool never delays the call by more than one item.
/// </remarks>
internal static unsafe class WorkSplitter
{
    private const int Queued = 0, Running = 1, Done = 2, Cancelled = 3;

    /// <summary>The most helpers one call takes, beyond the calling thread.</summary>
    public const int MaxHelpers = 63;

    private static readonly Stack<Helper> Pool = new();

    /// <summary>Calls <paramref name="body"/>(state, i) once for every i from 0 to <paramref name="count"/> − 1, on up to <paramref name="threads"/> threads.</summary>
    public static void For(int count, int threads, delegate*<void*, int, void> body, void* state)
    {
        if (count <= 0) return;
        int helperCount = Math.Min(Math.Min(threads, count) - 1, MaxHelpers);
        int next = 0;
        if (helperCount <= 0)
        {
            Drain(body, state, &next, count);
            return;
        }
        var helpers = new HelperSet();
        for (int h = 0; h < helperCount; h++)
        {
            Helper helper = Rent();
            helper.Body = body;
            helper.State = state;
            helper.Next = &next;
            helper.Count = count;
            helper.Error = null;
            helper.Status = Queued;
            helpers[h] = helper;
            ThreadPool.UnsafeQueueUserWorkItem(helper, preferLocal: false);
        }
        ExceptionDispatchInfo? error = null;
        try
        {
            Drain(body, state, &next, count);
        }
        catch (Exception e)
        {
            error = ExceptionDispatchInfo.Capture(e);
            Volatile.Write(ref next, count);
        }
        for (int h = 0; h < helperCount; h++)
        {
            Helper helper = helpers[h]!;
            if (Interlocked.CompareExchange(ref helper.Status, Cancelled, Queued) == Queued) continue;
            var spin = new SpinWait();
            while (Volatile.Read(ref helper.Status) != Done) spin.SpinOnce(sleep1Threshold: -1);
            error ??= helper.Error;
            Return(helper);
        }
        error?.Throw();
    }

    /// <summary>The same with a managed delegate, for callers that hold no pointers.</summary>
    public static void For(int count, int threads, Action<int> body)
    {
        GCHandle handle = GCHandle.Alloc(body);
        try
        {
            IntPtr target = GCHandle.ToIntPtr(handle);
            For(count, threads, &Invoke, &target);
        }
        finally
        {
            handle.Free();
        }
    }

    private static void Invoke(void* state, int item) => ((Action<int>)GCHandle.FromIntPtr(*(IntPtr*)state).Target!)(item);

    private static void Drain(delegate*<void*, int, void> body, void* state, int* next, int count)
    {
        int i;
        while ((i = Interlocked.Increment(ref *next) - 1) < count) body(state, i);
    }

    private static Helper Rent()
    {
        lock (Pool)
        {
            if (Pool.Count > 0) return Pool.Pop();
        }
        return new Helper();
    }

    private static void Return(Helper helper)
    {
        helper.State = null;
        helper.Next = null;
        helper.Error = null;
        lock (Pool) Pool.Push(helper);
    }

    /// <summary>The helpers of one call, on the caller's stack.</summary>
    [InlineArray(MaxHelpers)]
    private struct HelperSet
    {
        private Helper? _first;
    }

    private sealed class Helper : IThreadPoolWorkItem
    {
        public delegate*<void*, int, void> Body;
        public void* State;
        public int* Next;
        public int Count;
        public int Status;
        public ExceptionDispatchInfo? Error;

        public void Execute()
        {
            if (Interlocked.CompareExchange(ref Status, Running, Queued) != Queued)
            {
                // Cancelled: the caller has gone on and left this helper to put itself back.
                Return(this);
                return;
            }
            try
            {
                Drain(Body, State, Next, Count);
            }
            catch (Exception e)
            {
                Error = ExceptionDispatchInfo.Capture(e);
                Volatile.Write(ref *Next, Count);
            }
            Volatile.Write(ref Status, Done);
        }
    }
}
