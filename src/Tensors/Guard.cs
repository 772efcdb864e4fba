using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Conv.Notebook;

/// <summary>
/// The checks shared by every public entry point, so that bad input fails before any work with a
/// message that names the parameter, the rule and the values.
/// </summary>
internal static class Guard
{
    /// <summary>
    /// Checks that every size is at least 1 (at least 0 with <paramref name="allowEmpty"/>, as a tensor's shape may be)
    /// and that the element count fits in one .NET array.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long ElementCount(ReadOnlySpan<int> shape, string paramName, bool allowEmpty = false)
    {
        if (shape.IsEmpty)
        {
            throw new ArgumentException("A shape must have at least one dimension, but it is empty.", paramName);
        }
        long count = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] < (allowEmpty ? 0 : 1))
            {
                throw new ArgumentException(
                    $"Every dimension of a shape must be at least {(allowEmpty ? 0 : 1)}, but dimension {d} of {Tensor.ShapeText(shape)} is {shape[d]}.",
                    paramName);
            }
            count *= shape[d];
            if (count > Array.MaxLength)
            {
                throw new ArgumentException(TooLarge(shape, paramName), paramName);
            }
        }
        return count;
    }

    /// <summary>
    /// Checks that the last <paramref name="dims"/> sizes of a tensor are at least 1: an operation over rows and columns
    /// (or samples) has nothing to work on in an empty one, though the dimensions before them, a batch, may be empty.
    /// </summary>
    public static void NotEmptyAlong(Tensor tensor, int dims, string paramName, string operation)
    {
        ReadOnlySpan<int> shape = tensor.Dims;
        for (int d = Math.Max(0, shape.Length - dims); d < shape.Length; d++)
        {
            if (shape[d] < 1)
            {
                string where = dims >= shape.Length ? "in every dimension"
                    : dims == 1 ? "along the last dimension" : $"along each of the last {dims} dimensions";
                throw new ArgumentException(
                    $"{operation} needs at least one element {where}, but {paramName} has shape " +
                    $"{Tensor.ShapeText(shape)}, with {shape[d]} at dimension {d}.", paramName);
            }
        }
    }

    /// <summary>
    /// Checks that a layer's input is empty, if at all, only along its batch dimension N (the first, when
    /// <paramref name="batched"/>): as in PyTorch, a batch of none gives an empty output, and every other size must be at
    /// least 1.
    /// </summary>
    public static void EmptyOnlyAlongBatch(ReadOnlySpan<int> shape, bool batched, string paramName, string operation)
    {
        if (batched && shape[0] < 0)
        {
            throw new ArgumentException(
                $"{operation} needs a batch N of at least 0, but {paramName} has shape {Tensor.ShapeText(shape)}.", paramName);
        }
        for (int d = batched ? 1 : 0; d < shape.Length; d++)
        {
            if (shape[d] < 1)
            {
                throw new ArgumentException(
                    $"{operation} takes an empty input only along its batch dimension N (a batch of none gives an empty output), " +
                    $"but {paramName} has shape {Tensor.ShapeText(shape)}, with {shape[d]} at dimension {d}.", paramName);
            }
        }
    }

    /// <summary>Checks that every size of a layer's weight is at least 1, as PyTorch requires.</summary>
    public static void WeightNotEmpty(ReadOnlySpan<int> shape, string paramName, string operation)
    {
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 1)
            {
                throw new ArgumentException(
                    $"{operation} needs a weight with every size at least 1, as PyTorch does, but {paramName} has shape " +
                    $"{Tensor.ShapeText(shape)}, with {shape[d]} at dimension {d}.", paramName);
            }
        }
    }

    /// <summary>Checks that a shape computed in 64-bit arithmetic fits in one .NET array and returns it as 32-bit sizes.</summary>
    public static int[] ResultShape(ReadOnlySpan<long> shape, string paramName, string operation)
    {
        FitsOneArray(shape, paramName, operation);
        var result = new int[shape.Length];
        for (int d = 0; d < shape.Length; d++) result[d] = (int)shape[d];
        return result;
    }

    /// <summary>Checks that a shape computed in 64-bit arithmetic fits in one .NET array, allocating nothing when it does.</summary>
    public static void FitsOneArray(ReadOnlySpan<long> shape, string paramName, string operation)
    {
        if (!FitsOneArray(shape)) throw TooLargeResult(shape, paramName, operation);
    }

    /// <summary>Whether a shape computed in 64-bit arithmetic has few enough elements for one .NET array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool FitsOneArray(ReadOnlySpan<long> shape)
    {
        double count = 1;
        for (int d = 0; d < shape.Length; d++) count *= shape[d];
        return count <= Array.MaxLength;
    }

    /// <summary>The error for a result of <paramref name="operation"/> that would not fit in one .NET array.</summary>
    public static ArgumentException TooLargeResult(ReadOnlySpan<long> shape, string paramName, string operation)
    {
        double count = 1;
        for (int d = 0; d < shape.Length; d++) count *= shape[d];
        string dims = "(" + string.Join(", ", shape.ToArray()) + ")";
        return new ArgumentException(
            $"The {operation} result would have shape {dims}, {count.ToString("N0", CultureInfo.InvariantCulture)} elements, " +
            $"more than the {Array.MaxLength.ToString("N0", CultureInfo.InvariantCulture)} that one float array can hold; reduce {paramName}.",
            paramName);
    }

    // The checks are inlined into every entry point and their throws are not: a notebook-sized convolution makes a
    // dozen of them, and a call that builds no message costs less than the convolution it guards.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtLeastOne(int value, string paramName, string what)
    {
        if (value < 1) ThrowOutOfRange(value, paramName, $"The {what} must be at least 1, but {paramName} is {value}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NotNegative(int value, string paramName, string what)
    {
        if (value < 0) ThrowOutOfRange(value, paramName, $"The {what} must not be negative, but {paramName} is {value}.");
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOutOfRange(int value, string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, value, message);

    private static string TooLarge(ReadOnlySpan<int> shape, string paramName)
    {
        double count = 1;
        foreach (int s in shape) count *= s;
        return $"The shape {Tensor.ShapeText(shape)} has {count.ToString("N0", CultureInfo.InvariantCulture)} elements, " +
               $"more than the {Array.MaxLength.ToString("N0", CultureInfo.InvariantCulture)} that one float array can hold ({paramName}).";
    }
}
