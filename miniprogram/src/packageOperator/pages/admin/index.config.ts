// enableShareAppMessage: 分享 of a staff invite sends a chat card (useShareAppMessage on the page).
export default definePageConfig({ navigationBarTitleText: '平台管理', enableShareAppMessage: true });
