using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OAuthDemo.WebClient.Api;

namespace OAuthDemo.WebClient.Pages;

public sealed class NotesModel(NotesApiClient api) : PageModel
{
    public IReadOnlyList<Note> Notes { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAddAsync(string? text)
    {
        var result = await api.AddAsync(text ?? "", HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            Error = result.Error;
            await LoadAsync();
            return Page();
        }
        return RedirectToPage(); // post/redirect/get: a reload does not add the note twice
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id)
    {
        var result = await api.DeleteAsync(id, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            Error = result.Error;
            await LoadAsync();
            return Page();
        }
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        var result = await api.ListAsync(HttpContext.RequestAborted);
        Notes = result.Value ?? [];
        Error ??= result.Error;
    }
}
