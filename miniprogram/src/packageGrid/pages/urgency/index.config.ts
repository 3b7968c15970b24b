export default definePageConfig({ navigationBarTitleText: '标记紧急' });
