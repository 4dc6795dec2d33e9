using Bridge.Sandbox.Emulators;

namespace Bridge.Tests.Emulators;

/// <summary>A Bitbucket emulator without credentials and an HTTP client for it, started before each test and stopped after it.</summary>
public abstract class BitbucketEmulatorTests : IAsyncLifetime
{
    /// <summary>The commit the status tests post on, and the path they post to.</summary>
    private protected const string Commit = "9f2c1a7e4b3d5f60718293a4b5c6d7e8f9012345";
    private protected const string StatusPath = $"repositories/acme/api/commit/{Commit}/statuses/build";

    private protected BitbucketEmulator bitbucket = null!;
    private protected HttpClient http = null!;

    public async Task InitializeAsync()
    {
        bitbucket = await BitbucketEmulator.StartAsync();
        http = EmulatorHttp.Client(bitbucket.ApiUrl);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await bitbucket.DisposeAsync();
    }
}
