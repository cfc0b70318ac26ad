//! Signing in and out.

use super::Core;
use crate::error::AppError;
use companion_app::views::AccountStatus;

/// Who is signed in.
#[tauri::command]
pub async fn account_status(core: Core<'_>) -> Result<AccountStatus, AppError> {
    Ok(core.account_status().await?)
}

/// Signs in through the system browser (in demo mode the demo council's consent page is
/// answered for the member, through the same PKCE flow).
#[tauri::command]
pub async fn sign_in(core: Core<'_>, browser: tauri::State<'_, crate::browser::SignInBrowser>, app: tauri::AppHandle) -> Result<AccountStatus, AppError> {
    let browser = browser.inner().clone();
    let status = core.sign_in(browser.return_path(), move |url| browser.open(url)).await?;
    // The first update starts at once; the views hear of it through events.
    let core = core.inner().clone();
    tauri::async_runtime::spawn(async move { super::sync::run_and_tell(&core, &app).await });
    Ok(status)
}

/// Signs out (forgets the refresh token).
#[tauri::command]
pub async fn sign_out(core: Core<'_>) -> Result<AccountStatus, AppError> {
    Ok(core.sign_out().await?)
}
