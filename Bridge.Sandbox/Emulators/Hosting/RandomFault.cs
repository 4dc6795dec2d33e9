namespace Bridge.Sandbox.Emulators;

/// <summary>
/// A share of the requests to some endpoints an emulator answers with a failure (see <c>FailAtRandom</c>):
/// <paramref name="Probability"/> in [0, 1], <paramref name="StatusCode"/>, and <c>Retry-After</c> when
/// <paramref name="RetryAfter"/> is set; <paramref name="Endpoints"/> null means every named endpoint.
/// </summary>
public sealed record RandomFault(double Probability, int StatusCode, TimeSpan? RetryAfter = null, IReadOnlySet<string>? Endpoints = null);
