using System.Globalization;
using System.Net;
using Conv.Notebook.Display;

namespace Conv.Notebook;

/// <summary>
/// An audio player for a notebook cell or a report: an HTML <c>audio</c> element with the signal inlined as a
/// WAV data URI (so it plays offline, with nothing to fetch) and a caption. Keep clips short: every second of
/// 16 kHz audio adds about 43 kB to the notebook and the report.
/// </summary>
/// <example><code>AudioPlayer.Render(x, 16000, "the input: a chirp and two tones")</code></example>
public static class AudioPlayer
{
    /// <summary>
    /// A player for <paramref name="samples"/>. A signal whose peak passes full scale (±1) is scaled down to a
    /// peak of 0.99 so that it does not clip; others play as they are, so that clips keep their relative loudness.
    /// </summary>
    /// <param name="samples">The signal, at least one finite sample.</param>
    /// <param name="sampleRate">Samples per second, at least 1; browsers play WAV at common rates such as 8000 to 48000 Hz.</param>
    /// <param name="caption">What the clip is; shown under the player with its rate and duration.</param>
    /// <example><code>display(AudioPlayer.Render(naive, 8000, "stride 2 without a filter"));</code></example>
    public static HtmlView Render(float[] samples, int sampleRate, string caption)
    {
        AudioGuard.Samples(samples);
        AudioGuard.SampleRate(sampleRate);
        ArgumentNullException.ThrowIfNull(caption);
        float peak = samples.Max(MathF.Abs);
        float[] playable = peak > 1f ? samples.Select(s => s * (0.99f / peak)).ToArray() : samples;
        string data = Convert.ToBase64String(Wav.Encode(playable, sampleRate));
        string facts = string.Create(CultureInfo.InvariantCulture,
            $"{sampleRate} Hz · {samples.Length / (double)sampleRate:0.00} s{(peak > 1f ? $" · scaled by {0.99f / peak:0.###} to avoid clipping" : "")}");
        return new HtmlView(
            "<figure class=\"cn-audio-player\" style=\"margin:6px 0;font-family:system-ui,sans-serif\">" +
            $"<audio class=\"cn-audio\" controls preload=\"metadata\" src=\"data:audio/wav;base64,{data}\"></audio>" +
            $"<figcaption style=\"font-size:13px;color:#555\">{WebUtility.HtmlEncode(caption)} <span style=\"color:#888\">({facts})</span></figcaption>" +
            "</figure>");
    }
}
