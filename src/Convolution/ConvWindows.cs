namespace Conv.Notebook;

/// <summary>
/// Where the kernel windows of a convolution land along one dimension: which padded positions each window
/// reads, and which input positions no window reads at all (what a stride that does not divide the input skips).
/// </summary>
/// <example>
/// <code>
/// int[] counts = ConvWindows.Coverage(8, kernel: 3, padding: 0, stride: 3); // [1,1,1,1,1,1,0,0]
/// int[] skipped = ConvWindows.Untouched(8, kernel: 3, padding: 0, stride: 3); // [6, 7]
/// </code>
/// </example>
public static class ConvWindows
{
    /// <summary>
    /// For each position of the padded dimension (length size + 2·padding), how many kernel windows read it.
    /// Window j reads positions j·stride + i·dilation for i = 0 … kernel − 1.
    /// </summary>
    /// <param name="size">The input size, at least 1.</param>
    /// <param name="kernel">The kernel size, at least 1.</param>
    /// <param name="padding">The padding on each side, at least 0.</param>
    /// <param name="stride">The step between windows, at least 1.</param>
    /// <param name="dilation">The spacing between taps, at least 1.</param>
    /// <example><code>ConvWindows.Coverage(8, kernel: 5, padding: 1, stride: 4) // [1,1,1,1,2,1,1,1,1,0]</code></example>
    public static int[] Coverage(int size, int kernel, int padding = 0, int stride = 1, int dilation = 1)
    {
        int windows = ConvShape.Output(size, kernel, padding, stride, dilation);
        if ((long)size + 2L * padding > Array.MaxLength)
        {
            throw new ArgumentException($"The padded size {size} + 2·{padding} is more than one array can hold.", nameof(padding));
        }
        var counts = new int[size + 2 * padding];
        for (int j = 0; j < windows; j++)
        {
            for (int i = 0; i < kernel; i++) counts[j * stride + i * dilation]++;
        }
        return counts;
    }

    /// <summary>The input positions (0 = first input element, padding not counted) that no window reads.</summary>
    /// <param name="size">The input size, at least 1.</param>
    /// <param name="kernel">The kernel size, at least 1.</param>
    /// <param name="padding">The padding on each side, at least 0.</param>
    /// <param name="stride">The step between windows, at least 1.</param>
    /// <param name="dilation">The spacing between taps, at least 1.</param>
    /// <example><code>ConvWindows.Untouched(7, kernel: 3, padding: 0, stride: 3) // [6]: the last column is never read</code></example>
    public static int[] Untouched(int size, int kernel, int padding = 0, int stride = 1, int dilation = 1)
    {
        int[] counts = Coverage(size, kernel, padding, stride, dilation);
        var untouched = new List<int>();
        for (int i = 0; i < size; i++)
        {
            if (counts[padding + i] == 0) untouched.Add(i);
        }
        return [.. untouched];
    }
}
