using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Sandbox.Emulators.Entra;
using Bridge.Worker.Credentials;

namespace Bridge.Tests.Credentials;

/// <summary>The Entra emulator: real HTTPS with a generated certificate, and errors in Entra's format.</summary>
public sealed class EntraEmulatorTests : IAsyncLifetime
{
    private const string Tenant = "11111111-2222-3333-4444-555555555555";
    private readonly string certificateFile = Path.Combine(Path.GetTempPath(), $"bridge-entra-{Guid.NewGuid():N}.pem");
    private EntraEmulator entra = null!;

    public async Task InitializeAsync()
    {
        entra = await EntraEmulator.StartAsync();
        await File.WriteAllTextAsync(certificateFile, entra.CertificatePem);
    }

    public async Task DisposeAsync()
    {
        await entra.DisposeAsync();
        File.Delete(certificateFile);
    }

    [Fact]
    public async Task Certificate_is_refused_by_default_and_trusted_through_the_trusted_certificate_file()
    {
        using var untrusting = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.PostAsync(TokenUrl(), Form("x", "y")));

        using var trusting = new HttpClient(TrustedCertificates.Handler(certificateFile));
        using var response = await trusting.PostAsync(TokenUrl(), Form(Guid.NewGuid().ToString(), "a.b.c"));
        Assert.Equal(400, (int)response.StatusCode);
    }

    [Fact]
    public async Task Unknown_client_and_unreadable_assertion_are_answered_in_Entras_error_format()
    {
        var client = Guid.NewGuid().ToString();
        entra.AddApplication(Tenant, client, new FederatedCredential("https://bridge.test/oidc", "bitbucket:a:b:c"));
        using var http = new HttpClient(TrustedCertificates.Handler(certificateFile));

        using var unknown = await http.PostAsync(TokenUrl(), Form(Guid.NewGuid().ToString(), "a.b.c"));
        using var malformed = await http.PostAsync(TokenUrl(), Form(client, "not-a-jwt"));

        var body = (await unknown.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("unauthorized_client", body["error"]!.GetValue<string>());
        Assert.StartsWith("AADSTS700016: ", body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(700016, body["error_codes"]![0]!.GetValue<int>());
        Assert.NotNull(body["trace_id"]);
        Assert.NotNull(body["correlation_id"]);
        var bad = (await malformed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("invalid_client", bad["error"]!.GetValue<string>());
        Assert.Equal(400, (int)malformed.StatusCode);
    }

    private Uri TokenUrl() => new($"{entra.AuthorityHost}{Tenant}/oauth2/v2.0/token");

    private static FormUrlEncodedContent Form(string clientId, string assertion) => new(new Dictionary<string, string>
    {
        ["client_id"] = clientId,
        ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ["client_assertion"] = assertion,
        ["scope"] = "https://management.azure.com/.default",
        ["grant_type"] = "client_credentials",
        ["client_info"] = "2",
    });
}
