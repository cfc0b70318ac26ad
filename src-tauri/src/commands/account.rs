//! Signing in and out.

use super::Core;
use crate::browser::SignInBrowser;
use crate::error::AppError;
use companion_app::views::AccountStatus;

/// Who is signed in.
#[tauri::command]
#[specta::specta]
pub async fn account_status(core: Core<'_>) -> Result<AccountStatus, AppError> {
    Ok(core.account.status().await?)
}

/// Signs in through the system browser (in demo mode the demo council's consent page is
/// answered for the member, through the same PKCE flow). The first update starts at once.
#[tauri::command]
#[specta::specta]
pub async fn sign_in(core: Core<'_>, browser: tauri::State<'_, SignInBrowser>) -> Result<AccountStatus, AppError> {
    let browser = browser.inner().clone();
    let status = core.account.sign_in(browser.return_path(), move |url| browser.open(url)).await?;
    let core = core.inner().clone();
    tauri::async_runtime::spawn(async move { core.updates.run(chrono::Utc::now()).await });
    Ok(status)
}

/// Signs out (forgets the refresh token).
#[tauri::command]
#[specta::specta]
pub async fn sign_out(core: Core<'_>) -> Result<AccountStatus, AppError> {
    Ok(core.account.sign_out().await?)
}
